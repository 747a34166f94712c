import { type Context, context, createContextKey, type Span } from "@opentelemetry/api";

/** Tokens and cost spent so far; summed up from LLM calls into their step and run. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function emptyUsage(): UsageTotals {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** What every span inside a run needs to know about the run. Lives in the OTel context. */
export interface RunState {
  readonly name: string;
  readonly runId: string;
  readonly requestId: string;
  readonly attempt: number;
  /** Next step index to hand out (1-based); shared by every step of the run. */
  nextStepIndex: number;
  /** The run's input as captured JSON, attached to failing spans as their context. */
  readonly capturedInput: string | undefined;
  readonly usage: UsageTotals;
}

export interface StepState {
  readonly name: string;
  readonly index: number;
  readonly span: Span;
  readonly usage: UsageTotals;
}

const RUN_KEY = createContextKey("flightrec.run");
const STEP_KEY = createContextKey("flightrec.step");

export function withRun(ctx: Context, run: RunState): Context {
  return ctx.setValue(RUN_KEY, run);
}

export function withStep(ctx: Context, step: StepState): Context {
  return ctx.setValue(STEP_KEY, step);
}

export function runFrom(ctx: Context): RunState | undefined {
  return ctx.getValue(RUN_KEY) as RunState | undefined;
}

export function stepFrom(ctx: Context): StepState | undefined {
  return ctx.getValue(STEP_KEY) as StepState | undefined;
}

/** The run the caller is inside, e.g. to put its request ID on log lines. */
export function currentRun():
  | Readonly<Pick<RunState, "name" | "runId" | "requestId" | "attempt">>
  | undefined {
  const run = runFrom(context.active());
  if (!run) return undefined;
  return { name: run.name, runId: run.runId, requestId: run.requestId, attempt: run.attempt };
}
