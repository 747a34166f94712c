import type { SpanError } from "@openai/agents";

/** `String(error)` of an Error: its name, a colon, its message ("RangeError: forecast service down"). */
const NAMED_MESSAGE = /^([A-Za-z_$][\w$]*(?:Error|Exception|Exceeded|Triggered))?(?::\s*)?([\s\S]*)$/;

/**
 * The error to record for an Agents SDK span that failed: the thrown error itself when
 * `flightrecErrorFunction` kept it (type and stack intact), else one rebuilt from what the Agents
 * SDK put on the span (`data.error` is `String(error)`), with no stack rather than ours.
 */
export function errorOf(spanError: SpanError, thrown?: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const detail = spanError.data?.error;
  const text = typeof detail === "string" && detail !== "" ? detail : spanError.message;
  const [, name, message] = NAMED_MESSAGE.exec(text) ?? [];
  const error = new Error(name ? message || text : text);
  error.name = name ?? "Error";
  error.stack = "";
  return error;
}
