import type { RunStatus, SpanRecord } from "../domain.js";

/** A row of the `runs` table, as the query API returns it. */
export interface RunRow {
  run_id: string;
  name: string | null;
  status: RunStatus;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  current_step: number | null;
  current_step_name: string | null;
  steps: number;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  error: string | null;
  request_id: string | null;
  service: string | null;
}

/** A row of the `spans` table. */
export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  run_id: string | null;
  attempt: number;
  kind: string;
  name: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  step_index: number | null;
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  input: string | null;
  output: string | null;
  error: string | null;
  attributes: string;
}

/** A row of the `decisions` table. */
export interface DecisionRow {
  run_id: string | null;
  attempt: number;
  step: number | null;
  action: string;
  reasoning: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  ts: string;
  span_id: string;
}

/** A row of the `failures` table. */
export interface FailureRow {
  run_id: string | null;
  attempt: number;
  span_id: string;
  step: number | null;
  kind: string;
  name: string;
  error_type: string | null;
  message: string;
  stack: string | null;
  input: string | null;
  context: string | null;
  ts: string;
}

export interface RunDetail {
  run: RunRow;
  spans: SpanRow[];
  decisions: DecisionRow[];
  failures: FailureRow[];
}

export interface RunListQuery {
  limit: number;
}

export interface IngestSummary {
  stored: number;
  runsTouched: number;
}

/**
 * The decision store. SQLite is the embedded implementation; the interface is async so a
 * networked store (PostgreSQL) can implement it too.
 */
export interface DecisionStore {
  /** Stores a batch atomically; resolves only after it is durable (committed). Idempotent. */
  ingest(spans: readonly SpanRecord[]): Promise<IngestSummary>;
  listRuns(query: RunListQuery): Promise<RunRow[]>;
  getRun(runId: string): Promise<RunDetail | null>;
  /** True when a write would succeed now (used by /health). */
  isWritable(): Promise<boolean>;
  close(): Promise<void>;
}
