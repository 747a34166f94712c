import type { AttributeValue } from "../otlp/attributes.js";

export type Attributes = Record<string, AttributeValue>;

/** The first of `keys` that holds a non-empty string (numbers are stringified). */
export function pickString(attrs: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return null;
}

/** The first of `keys` that holds a finite number (numeric strings accepted). */
export function pickNumber(attrs: Attributes, ...keys: string[]): number | null {
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

export function pickBoolean(attrs: Attributes, key: string): boolean {
  const v = attrs[key];
  return v === true || v === "true";
}

/** JSON text for a value that may already be JSON text; null when absent. */
export function pickJson(attrs: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = attrs[key];
    if (v === undefined || v === null) continue;
    if (typeof v === "string") return isJsonText(v) ? v : JSON.stringify(v);
    return JSON.stringify(v);
  }
  return null;
}

function isJsonText(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
