import type { OtlpAnyValue, OtlpKeyValue } from "./types.js";

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/**
 * Flattens OTLP key/values into a plain object; int64 values beyond 2^53 stay as strings.
 * OTLP/JSON bodies are checked only down to the top-level keys, so anything deeper is read
 * leniently: a malformed nested value becomes null or empty, and never fails the request.
 */
export function attributesToObject(
  list: readonly OtlpKeyValue[] | undefined,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (typeof kv?.key === "string") out[kv.key] = anyValueToJs(kv.value);
  }
  return out;
}

export function anyValueToJs(value: OtlpAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return intToJs(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue != null) {
    const values = value.arrayValue.values;
    return Array.isArray(values) ? values.map(anyValueToJs) : [];
  }
  if (value.kvlistValue != null) return attributesToObject(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function intToJs(value: string | number): number | string {
  if (typeof value === "number") return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
