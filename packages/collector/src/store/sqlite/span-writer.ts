import type Database from "better-sqlite3";
import type { SpanRecord } from "../../domain.js";
import { StepsToName } from "../call-named-step.js";
import { numberedStep } from "../numbered-step.js";
import { addToDelta, deltaParams, emptyDelta, type PreviousSpan, type RunDelta } from "../run-delta.js";
import { MAX_KEY_PROBES, spanKey } from "../span-key.js";
import { STEP_INDEX, spanValues } from "../span-values.js";
import type { IngestSummary, UnstoredSpan } from "../store.js";
import { nsToIso } from "../time.js";
import { AgentTurns } from "./agent-turns.js";
import { CallNamedSteps } from "./call-named-steps.js";
import { Conversations } from "./conversations.js";
import { FailureSteps } from "./failure-steps.js";
import { RunRollup } from "./run-rollup.js";
import { StepNumbering } from "./step-numbering.js";
import { keyHigh, TraceDirectory } from "./trace-directory.js";

const TOO_MANY_ON_KEY = `${MAX_KEY_PROBES} other spans of its trace share the low 22 bits of its span ID; not stored`;

const UPSERT_SPAN_SQL = `
INSERT INTO spans (span_key, trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at,
                   ended_at, duration_ms, start_ns, end_ns, step_index, model, provider, input_tokens,
                   output_tokens, cost_usd, input, output, error, service, attributes, step_by_order,
                   resource)
VALUES (${new Array(27).fill("?").join(", ")})
ON CONFLICT (span_key) DO UPDATE SET
  parent_span_id = excluded.parent_span_id, run_id = excluded.run_id, attempt = excluded.attempt,
  kind = excluded.kind, name = excluded.name, status = excluded.status, started_at = excluded.started_at,
  ended_at = excluded.ended_at, duration_ms = excluded.duration_ms, start_ns = excluded.start_ns,
  end_ns = excluded.end_ns, step_index = excluded.step_index, model = excluded.model,
  provider = excluded.provider, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
  cost_usd = excluded.cost_usd, input = excluded.input, output = excluded.output, error = excluded.error,
  service = excluded.service, attributes = excluded.attributes, step_by_order = excluded.step_by_order,
  resource = excluded.resource, messages_from_logs = 0`;

/** The common case, a span not stored before, costs one statement. */
const INSERT_NEW_SPAN_SQL = UPSERT_SPAN_SQL.replace(
  /ON CONFLICT[\s\S]*$/,
  "ON CONFLICT (span_key) DO NOTHING",
);

const INSERT_DECISION_SQL = `
INSERT INTO decisions (span_key, trace_id, span_id, run_id, attempt, step, action, reasoning, input_tokens,
                       output_tokens, cost_usd, details, ts, ts_ns)
VALUES (@span_key, @trace_id, @span_id, @run_id, @attempt, @step, @action, @reasoning, @input_tokens,
        @output_tokens, @cost_usd, @details, @ts, @ts_ns)`;

const UPSERT_FAILURE_SQL = `
INSERT OR REPLACE INTO failures (span_key, trace_id, span_id, run_id, attempt, step, kind, name, error_type,
                                 message, stack, input, context, ts, ts_ns)
VALUES (@span_key, @trace_id, @span_id, @run_id, @attempt, @step, @kind, @name, @error_type, @message, @stack,
        @input, @context, @ts, @ts_ns)`;

interface ExistingSpan extends PreviousSpan {
  trace_id: string;
  span_id: string;
  step_index: number | null;
}

/**
 * Writes batches of spans. Statements are prepared once; a batch is one transaction. A span
 * is identified by trace and span ID: its integer key comes from its trace's row and its span
 * ID (span-key.ts), so every copy of it is one rowid probe away, which decides in one place:
 * new span, another copy (replaced, never duplicated, whatever its times), placeholder arriving
 * after its finished span (skipped), or another span on the same key (probed to the next key).
 */
export class SpanWriter {
  private readonly selectExisting: Database.Statement;
  private readonly upsertSpan: Database.Statement;
  private readonly insertNewSpan: Database.Statement;
  private readonly traces: TraceDirectory;
  private readonly deleteDecisions: Database.Statement;
  private readonly insertDecision: Database.Statement;
  private readonly upsertFailure: Database.Statement;
  private readonly runs: RunRollup;
  private readonly steps: StepNumbering;
  private readonly turns: AgentTurns;
  private readonly failureSteps: FailureSteps;
  private readonly callNamed: CallNamedSteps;
  private readonly setStepIndex: Database.Statement;
  private readonly conversations: Conversations;
  readonly write: (spans: readonly SpanRecord[]) => IngestSummary;

  constructor(db: Database.Database) {
    this.selectExisting = db.prepare(
      "SELECT trace_id, span_id, status, kind, step_index, input_tokens, output_tokens, cost_usd FROM spans WHERE span_key = ?",
    );
    this.upsertSpan = db.prepare(UPSERT_SPAN_SQL);
    this.insertNewSpan = db.prepare(INSERT_NEW_SPAN_SQL);
    this.deleteDecisions = db.prepare("DELETE FROM decisions WHERE span_key = ?");
    this.insertDecision = db.prepare(INSERT_DECISION_SQL);
    this.upsertFailure = db.prepare(UPSERT_FAILURE_SQL);
    this.traces = new TraceDirectory(db);
    this.runs = new RunRollup(db);
    this.steps = new StepNumbering(db);
    this.turns = new AgentTurns(db);
    this.failureSteps = new FailureSteps(db);
    this.callNamed = new CallNamedSteps(db);
    this.setStepIndex = db.prepare("UPDATE spans SET step_index = ? WHERE span_key = ?");
    this.conversations = new Conversations(db);
    const transaction = db.transaction((spans: readonly SpanRecord[]) => this.writeBatch(spans));
    this.write = (spans) => {
      try {
        return transaction(spans);
      } catch (error) {
        this.traces.forget(); // it may hold traces whose rows were rolled back
        throw error;
      }
    };
  }

  /** Drops what the writer remembers of `traces`, after rows changed behind it. */
  forgetTraces(): void {
    this.traces.forget();
  }

  private writeBatch(spans: readonly SpanRecord[]): IngestSummary {
    const traces = this.traces.entriesOf(spans);
    const deltas = new Map<string, RunDelta>();
    const movedSteps = new Map<string, number>();
    /** Runs this batch brought a failure or a step: their failures may find their step now. */
    const placeFailures = new Set<string>();
    const toName = new StepsToName();
    const unstored: UnstoredSpan[] = [];
    let stored = 0;
    for (const given of spans) {
      const trace = traces.get(given.traceId)!;
      // A span of another instrumentation inside a run of ours belongs to the attempt whose trace it is in.
      let span =
        given.runId === null && trace.attempt !== null && given.attempt !== trace.attempt
          ? { ...given, attempt: trace.attempt }
          : given;
      const runId = span.runId ?? trace.runId;
      const high = keyHigh(trace, span);
      const byOrder = span.kind === "step" && span.stepIndex === null && runId !== null;
      const params = spanValues(span, spanKey(high, span.spanId), runId, byOrder);
      let previous: ExistingSpan | undefined;
      if (this.insertNewSpan.run(...params).changes === 0) {
        const slot = this.findSlot(span, high);
        if (!slot) {
          unstored.push({ traceId: span.traceId, spanId: span.spanId, reason: TOO_MANY_ON_KEY });
          continue;
        }
        previous = slot.previous;
        // A placeholder never overwrites the finished span, whatever order they arrive in.
        if (previous && span.pending && previous.status !== "running") continue;
        params[0] = slot.key;
        // Another copy of a numbered step keeps its number.
        if (byOrder && previous?.step_index != null) params[STEP_INDEX] = previous.step_index;
        this.upsertSpan.run(...params);
      }
      const key = params[0] as bigint;
      if (byOrder) {
        let index = params[STEP_INDEX] as number | null;
        if (index === null) {
          const placed = this.steps.place({
            run_id: runId,
            attempt: span.attempt,
            start_ns: span.startNs,
            span_key: key,
          });
          index = placed.index;
          this.setStepIndex.run(index, key);
          if (placed.moved) movedSteps.set(runId, span.attempt);
        }
        span = numberedStep(span, index);
      }
      if (span.decisions.length > 0 || previous) this.replaceDecisions(span, key, runId);
      if (span.failure) this.upsertFailure.run(failureParams(span, key, runId));
      if (span.kind === "llm" && span.input === null && span.output === null) {
        this.conversations.fillSpan(key, span.traceId, span.spanId);
      }
      toName.add(span, key);
      stored++;
      if (runId === null) continue;
      if (span.joinsTurn || span.opensTurn) this.placeInTurn(span, key, runId);
      if (span.failure || span.kind === "step") placeFailures.add(runId);
      let delta = deltas.get(runId);
      if (!delta) {
        delta = emptyDelta(runId, span);
        deltas.set(runId, delta);
      }
      // Our run spans carry the run ID; a trace no run claimed is a run whose root span is the run span.
      const isRoot =
        span.runId === null ? runId === span.traceId && span.parentSpanId === null : span.kind === "run";
      addToDelta(delta, span, previous, isRoot);
    }
    const now = new Date().toISOString();
    for (const delta of deltas.values()) this.runs.merge(deltaParams(delta, now));
    for (const [runId, attempt] of movedSteps) this.steps.refreshCurrentStep(runId, attempt);
    for (const runId of placeFailures) this.failureSteps.place(runId, movedSteps.has(runId));
    this.callNamed.name(toName.values());
    return { stored, runIds: [...deltas.keys()], unstored };
  }

  /** A framework's model call opens a turn; its tool calls join one (agent-turns.ts). */
  private placeInTurn(span: SpanRecord, key: bigint, runId: string): void {
    const at = {
      run_id: runId,
      attempt: span.attempt,
      span_key: key,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      start_ns: span.startNs,
    };
    if (span.kind === "tool") this.turns.joinTool(at, span.endNs);
    else if (span.kind === "step") this.turns.gatherTools(at, span.stepIndex);
  }

  private findSlot(
    span: SpanRecord,
    high: bigint,
  ): { key: bigint; previous: ExistingSpan | undefined } | null {
    for (let probe = 0; probe < MAX_KEY_PROBES; probe++) {
      const key = spanKey(high, span.spanId, probe);
      const previous = this.selectExisting.get(key) as ExistingSpan | undefined;
      if (!previous || (previous.span_id === span.spanId && previous.trace_id === span.traceId)) {
        return { key, previous };
      }
    }
    return null;
  }

  /** Decisions follow their span: a re-sent span replaces them, never duplicates. */
  private replaceDecisions(span: SpanRecord, key: bigint, runId: string | null): void {
    this.deleteDecisions.run(key);
    for (const d of span.decisions) {
      this.insertDecision.run({
        span_key: key,
        trace_id: span.traceId,
        span_id: span.spanId,
        run_id: runId,
        attempt: span.attempt,
        step: d.step,
        action: d.action,
        reasoning: d.reasoning,
        input_tokens: d.inputTokens,
        output_tokens: d.outputTokens,
        cost_usd: d.costUsd,
        details: d.details ?? null,
        ts: nsToIso(d.tsNs),
        ts_ns: d.tsNs,
      });
    }
  }
}

function failureParams(span: SpanRecord, key: bigint, runId: string | null) {
  const f = span.failure!;
  return {
    span_key: key,
    trace_id: span.traceId,
    span_id: span.spanId,
    run_id: runId,
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
  };
}
