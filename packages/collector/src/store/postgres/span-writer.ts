import type pg from "pg";
import type { SpanRecord } from "../../domain.js";
import { StepsToName } from "../call-named-step.js";
import { numberedStep } from "../numbered-step.js";
import { addToDelta, deltaParams, emptyDelta, type PreviousSpan, type RunDelta } from "../run-delta.js";
import { MAX_KEY_PROBES, spanKey } from "../span-key.js";
import { STEP_INDEX } from "../span-values.js";
import type { IngestSummary, UnstoredSpan } from "../store.js";
import { nsToIso } from "../time.js";
import { AgentTurns } from "./agent-turns.js";
import { nameStepsByCall } from "./call-named-steps.js";
import { RetryTransaction } from "./connection.js";
import { fillSpan } from "./conversations.js";
import { placeFailures } from "./failure-steps.js";
import { mergeRunDeltas } from "./run-rollup.js";
import { KEY, type SpanValues, spanColumns, spanRow, UPSERT_SPANS_SQL } from "./span-rows.js";
import { placeStep, refreshCurrentStep } from "./step-numbering.js";
import { type TraceEntry, traceEntries } from "./trace-directory.js";

const TOO_MANY_ON_KEY = `${MAX_KEY_PROBES} other spans of its trace share the low 22 bits of its span ID; not stored`;

/** A stored span as the writer compares a new copy with it. */
interface StoredSpan extends PreviousSpan {
  trace_id: string;
  span_id: string;
  step_index: number | null;
}

const DECISION_COLUMNS = `span_key, trace_id, span_id, run_id, attempt, step, action, reasoning, input_tokens,
  output_tokens, cost_usd, details, ts, ts_ns`;
const DECISION_TYPES = [
  "bigint",
  "text",
  "text",
  "text",
  "integer",
  "integer",
  "text",
  "text",
  "bigint",
  "bigint",
  "float8",
  "text",
  "text",
  "bigint",
];
const INSERT_DECISIONS_SQL = `INSERT INTO decisions (${DECISION_COLUMNS})
  SELECT * FROM unnest(${DECISION_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})`;

const FAILURE_COLUMNS = [
  "span_key",
  "trace_id",
  "span_id",
  "run_id",
  "attempt",
  "step",
  "kind",
  "name",
  "error_type",
  "message",
  "stack",
  "input",
  "context",
  "ts",
  "ts_ns",
];
const FAILURE_TYPES = [
  "bigint",
  "text",
  "text",
  "text",
  "integer",
  "integer",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "bigint",
];
const UPSERT_FAILURES_SQL = `INSERT INTO failures (${FAILURE_COLUMNS.join(", ")})
  SELECT * FROM unnest(${FAILURE_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})
  ON CONFLICT (span_key) DO UPDATE SET ${FAILURE_COLUMNS.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`;

/**
 * Writes a batch of spans in the caller's transaction, with the SQLite store's meanings
 * (store/sqlite/span-writer.ts): a span is identified by trace and span ID (one key per copy),
 * a re-sent span replaces its row, a placeholder never overwrites its finished span, and each
 * run's row takes what the batch changed. Rows go in a few multi-row statements; spans whose
 * place depends on the spans stored before them (steps numbered by order, agent-loop turns) are
 * written one by one, in batch order, as SQLite writes every span.
 */
export async function writeSpans(
  client: pg.ClientBase,
  spans: readonly SpanRecord[],
  nowMs: number,
): Promise<IngestSummary> {
  const traces = await traceEntries(client, spans, nowMs);
  const stored = new StoredSpans(client);
  await stored.preload(spans, traces);
  const batch = new Batch(client);
  const deltas = new Map<string, RunDelta>();
  const movedSteps = new Map<string, number>();
  const failuresToPlace = new Set<string>();
  const unstored: UnstoredSpan[] = [];
  const turns = new AgentTurns(client);
  const conversations: [bigint, SpanRecord][] = [];
  const toName = new StepsToName();
  let count = 0;
  for (const given of spans) {
    const trace = traces.get(given.traceId)!;
    let span =
      given.runId === null && trace.attempt !== null && given.attempt !== trace.attempt
        ? { ...given, attempt: trace.attempt }
        : given;
    const runId = span.runId ?? trace.runId;
    const byOrder = span.kind === "step" && span.stepIndex === null && runId !== null;
    const slot = await stored.findSlot(span, trace.keyBase);
    if (!slot) {
      unstored.push({ traceId: span.traceId, spanId: span.spanId, reason: TOO_MANY_ON_KEY });
      continue;
    }
    const previous = slot.previous;
    // A placeholder never overwrites the finished span, whatever order they arrive in.
    if (previous && span.pending && previous.status !== "running") continue;
    const values = spanRow(span, slot.key, runId, byOrder);
    if (byOrder && previous?.step_index != null) values[STEP_INDEX] = previous.step_index;
    const sequential = byOrder ? values[STEP_INDEX] === null : Boolean(span.joinsTurn || span.opensTurn);
    if (sequential) {
      // Its place depends on the spans before it: they go first, then it alone.
      await batch.flush();
      batch.addSpan(values);
      await batch.flush();
    } else {
      batch.addSpan(values);
    }
    const key = slot.key;
    if (byOrder) {
      let index = values[STEP_INDEX] as number | null;
      if (index === null) {
        const placed = await placeStep(client, {
          run_id: runId,
          attempt: span.attempt,
          start_ns: span.startNs,
          span_key: key,
        });
        index = placed.index;
        await client.query("UPDATE spans SET step_index = $1 WHERE span_key = $2", [index, key]);
        values[STEP_INDEX] = index;
        if (placed.moved) movedSteps.set(runId, span.attempt);
      }
      span = numberedStep(span, index);
    }
    if (span.decisions.length > 0 || previous) batch.replaceDecisions(span, key, runId);
    if (span.failure) batch.addFailure(span, key, runId);
    if (span.kind === "llm" && span.input === null && span.output === null) conversations.push([key, span]);
    stored.set(key, {
      trace_id: span.traceId,
      span_id: span.spanId,
      status: span.status,
      kind: span.kind,
      step_index: values[STEP_INDEX] as number | null,
      input_tokens: span.inputTokens,
      output_tokens: span.outputTokens,
      cost_usd: span.costUsd,
    });
    toName.add(span, key);
    count++;
    if (runId === null) continue;
    if (span.joinsTurn || span.opensTurn) {
      await batch.flush();
      await placeInTurn(turns, span, key, runId);
    }
    if (span.failure || span.kind === "step") failuresToPlace.add(runId);
    let delta = deltas.get(runId);
    if (!delta) {
      delta = emptyDelta(runId, span);
      deltas.set(runId, delta);
    }
    const isRoot =
      span.runId === null ? runId === span.traceId && span.parentSpanId === null : span.kind === "run";
    addToDelta(delta, span, previous, isRoot);
  }
  await batch.flush();
  for (const [key, span] of conversations) await fillSpan(client, key, span.traceId, span.spanId);
  const now = new Date(nowMs).toISOString();
  await mergeRunDeltas(
    client,
    [...deltas.values()].map((d) => deltaParams(d, now)),
  );
  for (const [runId, attempt] of movedSteps) await refreshCurrentStep(client, runId, attempt);
  const toPlace = [...failuresToPlace].sort();
  await placeFailures(
    client,
    toPlace.filter((runId) => !movedSteps.has(runId)),
    false,
  );
  await placeFailures(
    client,
    toPlace.filter((runId) => movedSteps.has(runId)),
    true,
  );
  await nameStepsByCall(client, toName.values());
  return { stored: count, runIds: [...deltas.keys()], unstored };
}

/**
 * The rows stored at the keys the batch's spans probe, read (and locked) as they are needed, and
 * kept current as the writer goes: a span stored earlier in the batch takes its key for the spans
 * after it, and a key one span found free may hold another span for the next one to look at.
 */
class StoredSpans {
  private readonly rows = new Map<bigint, StoredSpan>();
  private readonly loaded = new Set<bigint>();

  constructor(private readonly client: pg.ClientBase) {}

  /** Reads the first keys of all the batch's spans in one statement, and further ones where taken. */
  async preload(spans: readonly SpanRecord[], traces: Map<string, TraceEntry>): Promise<void> {
    let pending = spans;
    for (let probe = 0; probe < MAX_KEY_PROBES && pending.length > 0; probe++) {
      await this.load(pending.map((s) => spanKey(traces.get(s.traceId)!.keyBase, s.spanId, probe)));
      pending = pending.filter((s) => {
        const row = this.rows.get(spanKey(traces.get(s.traceId)!.keyBase, s.spanId, probe));
        return row !== undefined && !(row.trace_id === s.traceId && row.span_id === s.spanId);
      });
    }
  }

  private async load(keys: bigint[]): Promise<void> {
    const wanted = [...new Set(keys)].filter((key) => !this.loaded.has(key));
    if (wanted.length === 0) return;
    const { rows } = await this.client.query<StoredSpan & { span_key: string }>(
      `SELECT span_key::text AS span_key, trace_id, span_id, status, kind, step_index, input_tokens, output_tokens,
              cost_usd
       FROM spans WHERE span_key = ANY($1::bigint[]) ORDER BY span_key FOR UPDATE`,
      [wanted],
    );
    for (const key of wanted) this.loaded.add(key);
    for (const { span_key, ...row } of rows) this.rows.set(BigInt(span_key), row);
  }

  /** The key of the span's stored copy, else the first free key it probes; null when all are taken. */
  async findSlot(
    span: SpanRecord,
    base: bigint,
  ): Promise<{ key: bigint; previous: StoredSpan | undefined } | null> {
    for (let probe = 0; probe < MAX_KEY_PROBES; probe++) {
      const key = spanKey(base, span.spanId, probe);
      await this.load([key]);
      const previous = this.rows.get(key);
      if (!previous || (previous.span_id === span.spanId && previous.trace_id === span.traceId)) {
        return { key, previous };
      }
    }
    return null;
  }

  set(key: bigint, row: StoredSpan): void {
    this.loaded.add(key);
    this.rows.set(key, row);
  }
}

async function placeInTurn(turns: AgentTurns, span: SpanRecord, key: bigint, runId: string): Promise<void> {
  const at = {
    run_id: runId,
    attempt: span.attempt,
    span_key: key,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    start_ns: span.startNs,
  };
  if (span.kind === "tool") await turns.joinTool(at, span.endNs);
  else if (span.kind === "step") await turns.gatherTools(at, span.stepIndex);
}

/**
 * Rows waiting to be written, one statement per table. A key written twice keeps its last row
 * (a placeholder and its final span in one batch): one statement may not touch a row twice.
 */
class Batch {
  private spans = new Map<bigint, SpanValues>();
  private decisions = new Map<bigint, unknown[][]>();
  private failures = new Map<bigint, unknown[]>();

  constructor(private readonly client: pg.ClientBase) {}

  addSpan(values: SpanValues): void {
    this.spans.set(values[KEY] as bigint, values);
  }

  replaceDecisions(span: SpanRecord, key: bigint, runId: string | null): void {
    this.decisions.set(
      key,
      span.decisions.map((d) => [
        key,
        span.traceId,
        span.spanId,
        runId,
        span.attempt,
        d.step,
        d.action,
        d.reasoning,
        d.inputTokens,
        d.outputTokens,
        d.costUsd,
        d.details ?? null,
        nsToIso(d.tsNs),
        d.tsNs,
      ]),
    );
  }

  addFailure(span: SpanRecord, key: bigint, runId: string | null): void {
    const f = span.failure!;
    this.failures.set(key, [
      key,
      span.traceId,
      span.spanId,
      runId,
      span.attempt,
      f.step,
      span.kind,
      span.name,
      f.errorType,
      f.message,
      f.stack,
      f.input,
      f.context,
      nsToIso(f.tsNs),
      f.tsNs,
    ]);
  }

  async flush(): Promise<void> {
    if (this.spans.size > 0) {
      const rows = [...this.spans.values()];
      const result = await this.client.query(UPSERT_SPANS_SQL, spanColumns(rows));
      // A row not written: a span of another trace took its key since it was read. Start over.
      if (result.rowCount !== rows.length) throw new RetryTransaction("span key taken concurrently");
      this.spans.clear();
    }
    if (this.decisions.size > 0) {
      await this.client.query("DELETE FROM decisions WHERE span_key = ANY($1::bigint[])", [
        [...this.decisions.keys()],
      ]);
      const rows = [...this.decisions.values()].flat();
      if (rows.length > 0) {
        await this.client.query(
          INSERT_DECISIONS_SQL,
          DECISION_TYPES.map((_, column) => rows.map((row) => row[column])),
        );
      }
      this.decisions.clear();
    }
    if (this.failures.size > 0) {
      const rows = [...this.failures.values()];
      await this.client.query(
        UPSERT_FAILURES_SQL,
        FAILURE_TYPES.map((_, column) => rows.map((row) => row[column])),
      );
      this.failures.clear();
    }
  }
}
