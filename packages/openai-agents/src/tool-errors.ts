import { getCurrentSpan } from "@openai/agents";

/** Any of the Agents SDK's `ToolErrorFunction`s, whatever its context type. */
export type ToolErrorHandler = (context: never, error: unknown, details?: never) => unknown;

/**
 * The errors tools threw, by the Agents SDK span ID of their function span. The Agents SDK keeps
 * only `String(error)` on the span; the processor takes the error itself from here when the
 * span ends (and removes it), so the failure keeps its type and stack.
 */
const thrown = new Map<string, unknown>();
/** More spans than this waiting means they never end (spans dropped elsewhere): forget the oldest. */
const MAX_PENDING = 1_000;

export function rememberToolError(spanId: string, error: unknown): void {
  thrown.set(spanId, error);
  if (thrown.size > MAX_PENDING) thrown.delete(thrown.keys().next().value as string);
}

export function takeToolError(spanId: string): unknown {
  const error = thrown.get(spanId);
  thrown.delete(spanId);
  return error;
}

/** The Agents SDK's own default: the model is told the call failed and may try again. */
function defaultToolErrorMessage(_context: unknown, error: unknown): string {
  const details = error instanceof Error ? error.toString() : String(error);
  return `An error occurred while running the tool. Please try again. Error: ${details}`;
}

/**
 * An `errorFunction` for the Agents SDK's `tool()` that keeps the thrown error (type, message,
 * stack) for Flightrec's failure record, then does what `handle` says:
 * - omitted: what the Agents SDK does by default — the model gets an error message and may recover;
 * - a function: your own error function, called as the Agents SDK would call it;
 * - `null`: the error is rethrown and the run fails, as with `errorFunction: null`.
 */
export function flightrecErrorFunction(
  handle?: ToolErrorHandler | null,
): (context: unknown, error: unknown, details?: unknown) => Promise<string> {
  return async (context, error, details) => {
    try {
      const span = getCurrentSpan();
      if (span?.spanData.type === "function") rememberToolError(span.spanId, error);
    } catch {
      // Recording is best effort; the tool's error handling below must happen regardless.
    }
    if (handle === null) throw error;
    if (handle === undefined) return defaultToolErrorMessage(context, error);
    return (await handle(context as never, error, details as never)) as string;
  };
}
