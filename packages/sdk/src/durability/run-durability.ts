import type { Link, Span } from "@opentelemetry/api";
import type { RunState } from "../run-context.js";
import { fetchCheckpoints, fetchStepDurations, type RecordedStep } from "./checkpoint-client.js";
import { type Deadline, validateDeadline } from "./deadline.js";

/**
 * What run() accepts for crash survival, resume and deadlines. With `resume` or `deadline`,
 * run() first asks the collector, so it returns a promise even for a synchronous `fn`.
 */
export interface DurableRunOptions {
  /** Continue the run with this `runId`: finished steps return their recorded output. */
  resume?: boolean;
  /** When a resumed step's name differs from the recorded one: throw (default) or run from there. */
  onCheckpointMismatch?: "error" | "reexecute";
  /** Each step returns only after the collector acknowledged its checkpoint. Default true. */
  waitForCheckpoints?: boolean;
  /** A checkpoint the collector did not acknowledge is an error instead of a warning. */
  strict?: boolean;
  /** Stop cleanly before a step that would not finish in time. */
  deadline?: Deadline;
  /** Expected step durations in ms, by step name; otherwise the collector's p95 of past runs. */
  stepEstimatesMs?: Record<string, number>;
}

/** Facts gathered before the run starts (they need the collector, so they are async). */
interface Prepared {
  attempt: number;
  links: Link[];
  replay: RecordedStep[];
  estimates: Record<string, number>;
}

/** A run's durability state, beside its RunState. */
export interface DurableRun {
  readonly runId: string;
  readonly span: Span;
  readonly options: DurableRunOptions;
  readonly estimates: Record<string, number>;
  /** Recorded steps not yet replayed, by index. */
  readonly replay: Map<number, RecordedStep>;
  /** Indexes of steps whose checkpoint was not acknowledged. */
  readonly missing: number[];
}

const prepared = new WeakMap<object, Prepared>();
const durable = new WeakMap<RunState, DurableRun>();

export function validateDurableRunOptions(options: DurableRunOptions & { runId?: string }): void {
  if (options.resume && !options.runId) {
    throw new TypeError("flightrec: resume: true needs the runId of the run to continue");
  }
  if (options.deadline !== undefined) validateDeadline(options.deadline);
  const mismatch = options.onCheckpointMismatch;
  if (mismatch !== undefined && mismatch !== "error" && mismatch !== "reexecute") {
    throw new TypeError(`flightrec: onCheckpointMismatch must be "error" or "reexecute", got "${mismatch}"`);
  }
}

/** True when run() must first ask the collector (checkpoints, step durations). */
export function needsPreparation(options: DurableRunOptions): boolean {
  return !prepared.has(options) && (options.resume === true || options.deadline !== undefined);
}

/** Fetches what the run needs and returns options run() can start from synchronously. */
export async function prepareRun<O extends DurableRunOptions & { runId?: string }>(
  runName: string,
  options: O,
): Promise<O> {
  const previous = options.resume && options.runId ? await fetchCheckpoints(options.runId) : null;
  const fetched = options.deadline === undefined ? {} : await fetchStepDurations(runName);
  const ready = { ...options };
  prepared.set(ready, {
    attempt: (previous?.attempt ?? 0) + 1,
    links:
      previous?.traceId && previous.spanId
        ? [{ context: { traceId: previous.traceId, spanId: previous.spanId, traceFlags: 1 } }]
        : [],
    replay: replayable(previous?.steps ?? []),
    estimates: { ...fetched, ...options.stepEstimatesMs },
  });
  return ready;
}

/** The steps before the first redacted one: from there on, the run executes again. */
function replayable(steps: RecordedStep[]): RecordedStep[] {
  const firstRedacted = steps.findIndex((s) => s.redacted === true);
  return firstRedacted === -1 ? steps : steps.slice(0, firstRedacted);
}

export function attemptFor(options: object): number {
  return prepared.get(options)?.attempt ?? 1;
}

/** Span links of a resumed attempt: the previous attempt's run span. */
export function linksFor(options: object): Link[] {
  return prepared.get(options)?.links ?? [];
}

export function attachDurability(run: RunState, span: Span, options: DurableRunOptions): void {
  const ready = prepared.get(options);
  durable.set(run, {
    runId: run.runId,
    span,
    options,
    estimates: ready?.estimates ?? { ...options.stepEstimatesMs },
    replay: new Map((ready?.replay ?? []).map((s) => [s.index, s])),
    missing: [],
  });
}

export function durableRunOf(run: RunState | undefined): DurableRun | undefined {
  return run ? durable.get(run) : undefined;
}
