/** Marker appended to a value that was cut to fit the capture limit. */
export const TRUNCATION_MARKER = "…[truncated by flightrec]";

export const DEFAULT_MAX_ATTRIBUTE_CHARS = 16_384;

/**
 * Turns any value into JSON text for a span attribute, never throwing: cycles, BigInts
 * and functions are represented instead of failing, and long text is cut with a marker.
 */
export function toJsonAttribute(
  value: unknown,
  maxChars = DEFAULT_MAX_ATTRIBUTE_CHARS,
  mask?: (key: string, value: unknown) => unknown,
): string {
  let text: string | undefined;
  // Plain data takes V8's fast path (no replacer); cycles and BigInts throw and fall back.
  if (!(value instanceof Error)) {
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    if (text !== undefined && (!mask || !mayNeedMask(text))) return truncate(text, maxChars);
  }
  try {
    text = JSON.stringify(value, jsonReplacer(mask)) ?? "null";
  } catch (error) {
    text = JSON.stringify({ unserializable: String(error) });
  }
  return truncate(text, maxChars);
}

export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return text.slice(0, Math.max(0, maxChars - TRUNCATION_MARKER.length)) + TRUNCATION_MARKER;
}

/** Field names a mask may act on; without any, the fast-path text is final. */
const MASKABLE_KEY = /pass|secret|api[-_]?key|authorization|token|private[-_]?key|cookie/i;
function mayNeedMask(text: string): boolean {
  return MASKABLE_KEY.test(text);
}

function jsonReplacer(mask?: (key: string, value: unknown) => unknown) {
  const seen = new WeakSet<object>();
  return (key: string, raw: unknown): unknown => {
    const value = mask ? mask(key, raw) : raw;
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
    }
    return value;
  };
}
