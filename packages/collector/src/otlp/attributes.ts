import type { OtlpAnyValue, OtlpKeyValue } from "./types.js";

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

/** Flattens OTLP key/values into a plain object; int64 values beyond 2^53 stay as strings. */
export function attributesToObject(
  list: readonly OtlpKeyValue[] | undefined,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!list) return out;
  for (const kv of list) out[kv.key] = anyValueToJs(kv.value);
  return out;
}

export function anyValueToJs(value: OtlpAnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return intToJs(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValueToJs);
  if (value.kvlistValue !== undefined) return attributesToObject(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

function intToJs(value: string | number): number | string {
  if (typeof value === "number") return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
