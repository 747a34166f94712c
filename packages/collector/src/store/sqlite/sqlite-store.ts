import type Database from "better-sqlite3";
import type { SpanRecord } from "../../domain.js";
import type {
  DecisionRow,
  DecisionStore,
  FailureRow,
  IngestSummary,
  RunDetail,
  RunListQuery,
  RunRow,
  SpanRow,
} from "../store.js";
import { openWritableDatabase } from "./open-database.js";
import { ROLLUP_RUN_SQL } from "./run-rollup.js";
import { durationMs, nsToIso } from "./time.js";

const UPSERT_SPAN_SQL = `
INSERT INTO spans (trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at, ended_at,
                   duration_ms, start_ns, end_ns, step_index, model, provider, input_tokens, output_tokens,
                   cost_usd, input, output, error, attributes)
VALUES (@trace_id, @span_id, @parent_span_id, @run_id, @attempt, @kind, @name, @status, @started_at, @ended_at,
        @duration_ms, @start_ns, @end_ns, @step_index, @model, @provider, @input_tokens, @output_tokens,
        @cost_usd, @input, @output, @error, @attributes)
ON CONFLICT (trace_id, span_id) DO UPDATE SET
  parent_span_id = excluded.parent_span_id, run_id = excluded.run_id, attempt = excluded.attempt,
  kind = excluded.kind, name = excluded.name, status = excluded.status, started_at = excluded.started_at,
  ended_at = excluded.ended_at, duration_ms = excluded.duration_ms, start_ns = excluded.start_ns,
  end_ns = excluded.end_ns, step_index = excluded.step_index, model = excluded.model,
  provider = excluded.provider, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cost_usd = excluded.cost_usd, input = excluded.input, output = excluded.output, error = excluded.error,
  attributes = excluded.attributes
-- A placeholder never overwrites the finished span, whatever order they arrive in.
WHERE excluded.status <> 'running' OR spans.status = 'running'
`;

const INSERT_DECISION_SQL = `
INSERT INTO decisions (trace_id, span_id, run_id, attempt, step, action, reasoning, input_tokens, output_tokens,
                       cost_usd, ts, ts_ns)
VALUES (@trace_id, @span_id, @run_id, @attempt, @step, @action, @reasoning, @input_tokens, @output_tokens,
        @cost_usd, @ts, @ts_ns)`;

const INSERT_FAILURE_SQL = `
INSERT INTO failures (trace_id, span_id, run_id, attempt, step, kind, name, error_type, message, stack, input,
                      context, ts, ts_ns)
VALUES (@trace_id, @span_id, @run_id, @attempt, @step, @kind, @name, @error_type, @message, @stack, @input,
        @context, @ts, @ts_ns)`;

const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at, ended_at,
  duration_ms, step_index, model, provider, input_tokens, output_tokens, cost_usd, input, output, error, attributes`;

export class SqliteStore implements DecisionStore {
  private readonly upsertSpan: Database.Statement;
  private readonly rollupRun: Database.Statement;
  private readonly deleteDecisions: Database.Statement;
  private readonly insertDecision: Database.Statement;
  private readonly deleteFailure: Database.Statement;
  private readonly insertFailure: Database.Statement;
  private readonly selectDecisions: Database.Statement;
  private readonly selectFailures: Database.Statement;
  private readonly selectRuns: Database.Statement;
  private readonly selectRun: Database.Statement;
  private readonly selectSpans: Database.Statement;
  private readonly ingestTx: (spans: readonly SpanRecord[]) => IngestSummary;

  constructor(private readonly db: Database.Database) {
    this.upsertSpan = db.prepare(UPSERT_SPAN_SQL);
    this.rollupRun = db.prepare(ROLLUP_RUN_SQL);
    this.deleteDecisions = db.prepare("DELETE FROM decisions WHERE trace_id = ? AND span_id = ?");
    this.insertDecision = db.prepare(INSERT_DECISION_SQL);
    this.deleteFailure = db.prepare("DELETE FROM failures WHERE trace_id = ? AND span_id = ?");
    this.insertFailure = db.prepare(INSERT_FAILURE_SQL);
    this.selectDecisions = db.prepare(
      "SELECT run_id, attempt, step, action, reasoning, input_tokens, output_tokens, cost_usd, ts, span_id FROM decisions WHERE run_id = ? ORDER BY ts_ns",
    );
    this.selectFailures = db.prepare(
      "SELECT run_id, attempt, span_id, step, kind, name, error_type, message, stack, input, context, ts FROM failures WHERE run_id = ? ORDER BY ts_ns",
    );
    this.selectRuns = db.prepare("SELECT * FROM runs ORDER BY started_at DESC, run_id LIMIT ?");
    this.selectRun = db.prepare("SELECT * FROM runs WHERE run_id = ?");
    this.selectSpans = db.prepare(
      `SELECT ${SPAN_COLUMNS} FROM spans WHERE run_id = ? ORDER BY start_ns, span_id`,
    );
    this.ingestTx = db.transaction((spans: readonly SpanRecord[]) => this.writeBatch(spans));
  }

  static open(path: string): SqliteStore {
    return new SqliteStore(openWritableDatabase(path));
  }

  async ingest(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    return this.ingestTx(spans);
  }

  private writeBatch(spans: readonly SpanRecord[]): IngestSummary {
    const runs = new Map<string, { name: string | null; service: string | null }>();
    for (const span of spans) {
      const changed = this.upsertSpan.run(toRow(span)).changes > 0;
      if (changed) this.replaceSpanEvents(span);
      if (span.runId === null) continue;
      const seen = runs.get(span.runId);
      runs.set(span.runId, {
        name: seen?.name ?? span.runName,
        service: seen?.service ?? span.service,
      });
    }
    const now = new Date().toISOString();
    for (const [runId, { name, service }] of runs) {
      this.rollupRun.run({ run_id: runId, run_name: name, service, now });
    }
    return { stored: spans.length, runsTouched: runs.size };
  }

  /** Decisions and failures follow their span: a re-sent span replaces them, never duplicates. */
  private replaceSpanEvents(span: SpanRecord): void {
    const key = [span.traceId, span.spanId] as const;
    this.deleteDecisions.run(...key);
    for (const d of span.decisions) {
      this.insertDecision.run({
        trace_id: span.traceId,
        span_id: span.spanId,
        run_id: span.runId,
        attempt: span.attempt,
        step: d.step,
        action: d.action,
        reasoning: d.reasoning,
        input_tokens: d.inputTokens,
        output_tokens: d.outputTokens,
        cost_usd: d.costUsd,
        ts: nsToIso(d.tsNs),
        ts_ns: d.tsNs,
      });
    }
    this.deleteFailure.run(...key);
    const f = span.failure;
    if (f) {
      this.insertFailure.run({
        trace_id: span.traceId,
        span_id: span.spanId,
        run_id: span.runId,
        attempt: span.attempt,
        step: f.step,
        kind: span.kind,
        name: span.name,
        error_type: f.errorType,
        message: f.message,
        stack: f.stack,
        input: f.input,
        context: f.context,
        ts: nsToIso(f.tsNs),
        ts_ns: f.tsNs,
      });
    }
  }

  async listRuns(query: RunListQuery): Promise<RunRow[]> {
    return this.selectRuns.all(query.limit) as RunRow[];
  }

  async getRun(runId: string): Promise<RunDetail | null> {
    const run = this.selectRun.get(runId) as RunRow | undefined;
    if (!run) return null;
    return {
      run,
      spans: this.selectSpans.all(runId) as SpanRow[],
      decisions: this.selectDecisions.all(runId) as DecisionRow[],
      failures: this.selectFailures.all(runId) as FailureRow[],
    };
  }

  async isWritable(): Promise<boolean> {
    try {
      this.db.prepare("BEGIN IMMEDIATE").run();
      this.db.prepare("ROLLBACK").run();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRow(span: SpanRecord) {
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    run_id: span.runId,
    attempt: span.attempt,
    kind: span.kind,
    name: span.name,
    status: span.status,
    started_at: nsToIso(span.startNs),
    ended_at: span.endNs === null ? null : nsToIso(span.endNs),
    duration_ms: durationMs(span.startNs, span.endNs),
    start_ns: span.startNs,
    end_ns: span.endNs,
    step_index: span.stepIndex,
    model: span.model,
    provider: span.provider,
    input_tokens: span.inputTokens,
    output_tokens: span.outputTokens,
    cost_usd: span.costUsd,
    input: span.input,
    output: span.output,
    error: span.errorMessage,
    attributes: span.attributes,
  };
}
