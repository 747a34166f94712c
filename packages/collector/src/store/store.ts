import type { LogRecord, RunStatus, SpanRecord } from "../domain.js";
import { HttpError } from "../errors.js";
import type { DurabilityStore } from "./durability.js";
import type { RunChangeListener } from "./run-changes.js";

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
  trace_id: string | null;
  /** When the collector last received a span of the run. */
  last_seen_at: string | null;
  updated_at: string;
}

/** A row of the `spans` table (without its internal integer key and nanosecond times). */
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
  service: string | null;
  attributes: string;
  /** The resource attributes as a JSON object's text, on run spans (each attempt's environment); else null. */
  resource: string | null;
}

/**
 * A span in a run's outline: its row without the three columns that make a run's detail large
 * (input, output, attributes; `getSpan` has them), and the one attribute an overview of the run
 * shows for every step.
 */
export interface SpanOutline extends Omit<SpanRow, "input" | "output" | "attributes"> {
  /** A step of a resumed run that returned its checkpoint instead of running again (`flightrec.step.replayed`). */
  replayed: boolean;
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
  /** Extra fields given to decide(), as a JSON object's text; null when there were none. */
  details: string | null;
  ts: string;
  trace_id: string;
  span_id: string;
}

/** A row of the `failures` table. */
export interface FailureRow {
  run_id: string | null;
  attempt: number;
  trace_id: string;
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

/** A row of the `logs` table (without its nanosecond time and conversation columns). */
export interface LogRow {
  /** Hash of the record's content: the same record sent again has the same ID. */
  log_id: string;
  trace_id: string | null;
  span_id: string | null;
  run_id: string | null;
  request_id: string | null;
  service: string | null;
  ts: string;
  severity_number: number | null;
  severity_text: string | null;
  event_name: string | null;
  body: string | null;
  attributes: string;
  scope: string | null;
}

export interface RunDetail {
  run: RunRow;
  spans: SpanRow[];
  decisions: DecisionRow[];
  failures: FailureRow[];
  /** The run's log lines (GenAI content events left out: they are the LLM spans' input and output). */
  logs: LogRow[];
}

/** A run's detail with its spans as outlines: for runs of thousands of spans. */
export interface RunOutline extends Omit<RunDetail, "spans"> {
  spans: SpanOutline[];
}

/** Log records in time order, filtered by any of run, trace, span and request ID. */
export interface LogListQuery {
  runId?: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  limit: number;
  cursor?: string;
}

export interface LogListPage {
  logs: LogRow[];
  nextCursor: string | null;
}

export type RunSort = "started_at" | "duration_ms" | "cost_usd" | "name";

export interface RunListQuery {
  status?: RunStatus[];
  name?: string;
  model?: string;
  /** ISO times bounding `started_at`. */
  from?: string;
  to?: string;
  minCost?: number;
  /** Searched in run ID, request ID, name and error. */
  q?: string;
  sort: RunSort;
  order: "asc" | "desc";
  limit: number;
  cursor?: string;
}

export interface RunListPage {
  runs: RunRow[];
  nextCursor: string | null;
}

export interface FailureListQuery {
  limit: number;
  cursor?: string;
  errorType?: string;
  name?: string;
}

export interface FailureListPage {
  failures: (FailureRow & { run_name: string | null })[];
  nextCursor: string | null;
  groups: {
    /** Same error type, message pattern (see failure-fingerprint.ts) and failing span; newest 10,000 failures. */
    byFingerprint: {
      fingerprint: string;
      error_type: string | null;
      pattern: string;
      kind: string;
      name: string;
      /** Failures, each counted once at its innermost span. */
      count: number;
      /** Distinct runs among them. */
      runs: number;
      first_ts: string;
      last_ts: string;
      latest: { run_id: string | null; span_id: string; message: string };
    }[];
    byErrorType: { error_type: string | null; count: number; last_ts: string }[];
    byName: { kind: string; name: string; count: number; last_ts: string }[];
  };
}

export interface StatsQuery {
  from: string;
  to: string;
  bucket: "hour" | "day";
}

export interface Stats {
  series: {
    bucket: string;
    runs: number;
    errors: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
  }[];
  byModel: {
    model: string;
    calls: number;
    input_tokens: number;
    output_tokens: number;
    cost_usd: number;
    p50_ms: number | null;
    p95_ms: number | null;
  }[];
  byTool: { tool: string; calls: number; errors: number; p50_ms: number | null; p95_ms: number | null }[];
}

export interface SchemaTable {
  name: string;
  columns: { name: string; type: string }[];
}

export interface IngestSummary {
  /** Spans written (retries count; placeholders that arrive after their finished span do not). */
  stored: number;
  /** Runs this batch changed. */
  runIds: string[];
  /** Spans the store could not take, and why; the sender is told through partialSuccess. */
  unstored: UnstoredSpan[];
}

export interface UnstoredSpan {
  traceId: string;
  spanId: string;
  reason: string;
}

/**
 * The store cannot commit now (disk full, file locked by another process, I/O error); nothing of
 * the batch was stored. 503, because OTLP exporters retry it, and drop a batch answered 500.
 */
export class StoreUnavailableError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, message, { "retry-after": "5" });
    this.name = "StoreUnavailableError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A page cursor the store did not write (or a client changed): 400, naming the parameter. */
export class InvalidCursorError extends HttpError {
  constructor() {
    super(400, 'invalid query parameter "cursor": pass the nextCursor of a previous page unchanged');
    this.name = "InvalidCursorError";
  }
}

/** Too many reads wait already; the client should retry shortly rather than queue without bound. */
export class StoreBusyError extends HttpError {
  constructor(message: string) {
    super(429, message, { "retry-after": "1" });
    this.name = "StoreBusyError";
  }
}

/**
 * A value as a LangGraph saver's serializer wrote it: its type tag and its bytes, as text when the
 * bytes are UTF-8 (JSON) and base64 otherwise.
 */
export interface GraphValue {
  type: string;
  data: string;
  encoding: "utf8" | "base64";
}

/** A LangGraph checkpoint to store (`BaseCheckpointSaver.put`). */
export interface GraphCheckpointPut {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  checkpoint: GraphValue;
  /** The checkpoint's metadata as JSON (source, step, parents, the graph's own keys). */
  metadata: Record<string, unknown>;
  /** Redaction changed the checkpoint: it is kept for the record but never handed back. */
  redacted: boolean;
}

/** A task's writes to store against a checkpoint (`BaseCheckpointSaver.putWrites`). */
export interface GraphWritesPut {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  taskId: string;
  taskPath: string;
  /** `idx` as LangGraph's savers number them: the write's place, or a negative index for special channels. */
  writes: { idx: number; channel: string; value: GraphValue; redacted: boolean }[];
}

export interface GraphPendingWrite {
  taskId: string;
  channel: string;
  value: GraphValue;
}

/** A stored checkpoint with the writes recorded against it, in LangGraph's order. */
export interface GraphCheckpointTuple {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  checkpoint: GraphValue;
  metadata: Record<string, unknown>;
  pendingWrites: GraphPendingWrite[];
}

/** One checkpoint: the given one, or the thread's newest in the namespace. */
export interface GraphCheckpointQuery {
  threadId: string;
  checkpointNs: string;
  checkpointId?: string;
}

/** Checkpoints newest first (by thread, namespace, then ID descending), filtered. */
export interface GraphCheckpointListQuery {
  threadId?: string;
  checkpointNs?: string;
  checkpointId?: string;
  /** Only checkpoints with an ID before this one. */
  before?: string;
  /** Metadata fields that must equal these values. */
  filter?: Record<string, unknown>;
  limit: number;
  cursor?: string;
}

export interface GraphCheckpointListPage {
  checkpoints: GraphCheckpointTuple[];
  nextCursor: string | null;
}

/**
 * The decision store. SQLite is the embedded implementation; the interface is async so a
 * networked store (PostgreSQL) can implement it too.
 */
export interface DecisionStore {
  /** Stores a batch atomically; resolves only after it is durable (committed). Idempotent. */
  ingest(spans: readonly SpanRecord[]): Promise<IngestSummary>;
  /**
   * Stores log records atomically, each once (keyed by content hash); GenAI content events
   * become the input and output of their LLM span, whether it is stored already or comes later.
   */
  ingestLogs(logs: readonly LogRecord[]): Promise<IngestSummary>;
  listLogs(query: LogListQuery): Promise<LogListPage>;
  listRuns(query: RunListQuery): Promise<RunListPage>;
  getRun(runId: string): Promise<RunDetail | null>;
  /** As getRun, with each span's input, output and attributes left out. */
  getRunOutline(runId: string): Promise<RunOutline | null>;
  /** One span of a run, whole; null when the run has no span with that ID. */
  getSpan(runId: string, spanId: string): Promise<SpanRow | null>;
  getRuns(runIds: readonly string[]): Promise<RunRow[]>;
  listFailures(query: FailureListQuery): Promise<FailureListPage>;
  stats(query: StatsQuery): Promise<Stats>;
  /** Tables and views users may query with SQL. */
  schema(): Promise<SchemaTable[]>;
  /**
   * Deletes at most `limit` runs started and last updated before `beforeIso`, with their rows (logs too), and
   * at most `spanBudget` spans in all: a run with more spans is deleted over several calls. `more`
   * says another call may find more to delete.
   */
  deleteRunsBefore(
    beforeIso: string,
    limit: number,
    spanBudget?: number,
  ): Promise<{ deleted: number; more: boolean }>;
  /**
   * Deletes at most `limit` spans of no run started before `beforeIso`, with their rows, and as
   * many log records of no run written before it; `more` as above.
   */
  deleteSpansWithoutRunBefore(beforeIso: string, limit: number): Promise<{ deleted: number; more: boolean }>;
  /** Stores a LangGraph checkpoint; resolves after commit. The same ID again replaces it. */
  putGraphCheckpoint(put: GraphCheckpointPut): Promise<void>;
  /**
   * Stores a task's writes; resolves after commit. A write already stored under the same task and
   * index is kept (the first one wins), except special writes (negative index), which replace it.
   */
  putGraphWrites(put: GraphWritesPut): Promise<void>;
  /** The checkpoint asked for, or the newest; redacted ones are never returned. */
  getGraphCheckpoint(query: GraphCheckpointQuery): Promise<GraphCheckpointTuple | null>;
  listGraphCheckpoints(query: GraphCheckpointListQuery): Promise<GraphCheckpointListPage>;
  /** Deletes a thread's checkpoints and writes; resolves with how many checkpoints went. */
  deleteGraphThread(threadId: string): Promise<number>;
  /** Checkpoints for resume, step durations for deadlines, and the verdict on stopped attempts. */
  readonly durability: DurabilityStore;
  /**
   * Hears the IDs of runs whose row changed (ingest, a verdict), after the commit; a store shared
   * by several collectors tells each of them what any of them committed. Returns the unsubscribe.
   */
  onRunsChanged(listener: RunChangeListener): () => void;
  /**
   * Write transactions the store commits well at once: the collector keeps that many groups of
   * batches in flight. Absent: one (an embedded store has one writer).
   */
  readonly concurrentWrites?: number;
  /** True when a write would succeed now (used by /health). */
  isWritable(): Promise<boolean>;
  close(): Promise<void>;
}
