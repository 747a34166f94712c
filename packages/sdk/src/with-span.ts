import { type Context, context, type Span, SpanStatusCode } from "@opentelemetry/api";
import { preciseTime } from "./clock.js";
import { captureText } from "./redact.js";

export interface SpanOutcome<T> {
  onSuccess?: (span: Span, value: T) => void;
  onError?: (span: Span, error: unknown) => void;
  /** Called for each item when the work returns an async iterable (a stream). */
  onChunk?: (span: Span, chunk: unknown, index: number) => void;
}

const NO_OUTCOME: SpanOutcome<unknown> = {};

/**
 * Runs `fn` with `span` active in `ctx` and ends the span when the work is done, whether
 * `fn` is sync, returns a promise, or returns an async iterable (the span then ends after
 * the last item, an error, or the consumer stopping early). The user's error is recorded
 * and rethrown unchanged; faults in our own callbacks never reach the agent.
 * The sync path allocates nothing of its own: it runs on every traced call.
 */
export function runInSpan<T>(
  span: Span,
  ctx: Context,
  fn: () => T,
  outcome: SpanOutcome<unknown> = NO_OUTCOME,
): T {
  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (error) {
    return failSpan(span, outcome, error);
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (value) => succeedSpan(span, outcome, value),
      (error) => failSpan(span, outcome, error),
    ) as T;
  }
  return succeedSpan(span, outcome, result) as T;
}

function failSpan(span: Span, outcome: SpanOutcome<unknown>, error: unknown): never {
  try {
    recordError(span, error);
    outcome.onError?.(span, error);
  } catch (fault) {
    reportInternalError(fault);
  }
  span.end(preciseTime());
  throw error;
}

function succeedSpan(span: Span, outcome: SpanOutcome<unknown>, value: unknown): unknown {
  if (isStream(value)) return observeStream(value, span, outcome, (error) => failSpan(span, outcome, error));
  try {
    outcome.onSuccess?.(span, value);
  } catch (fault) {
    reportInternalError(fault);
  }
  span.end(preciseTime());
  return value;
}

/**
 * Hands back the stream unchanged for its consumer, but routes iteration through the span.
 * Everything except iteration reaches the original object.
 */
function observeStream<S extends AsyncIterable<unknown>>(
  stream: S,
  span: Span,
  outcome: SpanOutcome<unknown>,
  fail: (error: unknown) => never,
): S {
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    safely(() => outcome.onSuccess?.(span, stream));
    span.end(preciseTime());
  };
  const iterate = () => {
    const inner = stream[Symbol.asyncIterator]();
    let index = 0;
    const iterator: AsyncIterator<unknown> = {
      next: async (...args: [] | [unknown]) => {
        let step: IteratorResult<unknown>;
        try {
          step = await inner.next(...args);
        } catch (error) {
          if (ended) throw error;
          ended = true;
          return fail(error);
        }
        if (step.done) finish();
        else if (!ended) {
          const chunk = step.value;
          safely(() => outcome.onChunk?.(span, chunk, index++));
        }
        return step;
      },
      return: async (value?: unknown) => {
        finish();
        return inner.return ? inner.return(value) : { done: true, value };
      },
    };
    return iterator;
  };
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === Symbol.asyncIterator) return iterate;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function recordError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  // Error texts can quote secrets (a key in a URL, a header): redact before export.
  // Explicit time: for spans given a start time the trace SDK stamps events with Date.now()
  // (whole ms), which can put a step's exception before its failed child's.
  span.recordException(
    {
      name: err.name,
      message: captureText(err.message),
      ...(err.stack ? { stack: captureText(err.stack) } : {}),
    },
    preciseTime(),
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: captureText(err.message) });
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

function isStream(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}
