import { type Context, context, type Span, SpanStatusCode } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";

export interface SpanOutcome<T> {
  onSuccess?: (span: Span, value: T) => void;
  onError?: (span: Span, error: unknown) => void;
}

/**
 * Runs `fn` with `span` active in `ctx` and ends the span when the work is done, whether
 * `fn` is sync or returns a promise. The user's error is recorded and rethrown unchanged;
 * faults in our own callbacks are swallowed so they never reach the agent.
 */
export function runInSpan<T>(
  span: Span,
  ctx: Context,
  fn: () => T,
  outcome: SpanOutcome<Awaited<T>> = {},
): T {
  const fail = (error: unknown): never => {
    safely(() => {
      recordError(span, error);
      outcome.onError?.(span, error);
    });
    span.end(preciseNow());
    throw error;
  };
  const succeed = (value: Awaited<T>) => {
    safely(() => outcome.onSuccess?.(span, value));
    span.end(preciseNow());
    return value;
  };

  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (error) {
    return fail(error);
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(succeed as (v: unknown) => Awaited<T>, fail) as T;
  }
  return succeed(result as Awaited<T>) as T;
}

export function recordError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  // Explicit time: for spans given a start time the trace SDK stamps events with Date.now()
  // (whole ms), which can put a step's exception before its failed child's.
  span.recordException(err, preciseNow());
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

export function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportInternalError(error);
  }
}

let reported = false;
function reportInternalError(error: unknown): void {
  if (reported) return;
  reported = true;
  console.warn("[flightrec] internal error (recording continues, agent unaffected):", error);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}
