import type { OtlpAnyValue, OtlpKeyValue } from "./types.js";

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/**
 * Arrays and key/value lists nested deeper than this are cut: OTLP sets no limit, but mapping
 * them recursively could run out of stack, and SQLite's JSON functions refuse text nested more
 * than 1000 levels (the attributes column alone would break the tool_calls view).
 */
export const MAX_VALUE_NESTING = 100;
/** What stands in for a value that was nested too deep. */
export const NESTING_CUT = `[cut: nested deeper than ${MAX_VALUE_NESTING} levels]`;

/**
 * Flattens OTLP key/values into a plain object; int64 values beyond 2^53 stay as strings.
 * OTLP/JSON bodies are checked only down to the top-level keys, so anything deeper is read
 * leniently: a malformed nested value becomes null or empty, and never fails the request.
 */
export function attributesToObject(
  list: readonly OtlpKeyValue[] | undefined,
  nesting = 0,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (typeof kv?.key !== "string") continue;
    const value = anyValueToJs(kv.value, nesting);
    // Assigning "__proto__" would set the object's prototype: the attribute would vanish and
    // the keys of its value would read as this span's own attributes.
    if (kv.key === "__proto__") {
      Object.defineProperty(out, kv.key, { value, enumerable: true, writable: true, configurable: true });
    } else out[kv.key] = value;
  }
  return out;
}

/** `nesting`: how many arrays and key/value lists enclose the value. */
export function anyValueToJs(value: OtlpAnyValue | undefined, nesting: number): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return intToJs(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if ((value.arrayValue != null || value.kvlistValue != null) && nesting >= MAX_VALUE_NESTING) {
    return NESTING_CUT;
  }
  if (value.arrayValue != null) {
    const values = value.arrayValue.values;
    return Array.isArray(values) ? values.map((v) => anyValueToJs(v, nesting + 1)) : [];
  }
  if (value.kvlistValue != null) return attributesToObject(value.kvlistValue.values, nesting + 1);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function intToJs(value: string | number): number | string {
  if (typeof value === "number") return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
