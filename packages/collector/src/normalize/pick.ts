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

/**
 * JSON text for a value that may already be JSON text; null when absent. An empty string counts
 * as absent: sources set one where they had nothing (Vercel's `ai.response.text` on a step that
 * only called tools), and it must not hide the next key's payload.
 */
export function pickJson(attrs: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = attrs[key];
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "string") return isJsonText(v) ? v : JSON.stringify(v);
    return JSON.stringify(v);
  }
  return null;
}

/** The parsed JSON value of the first of `keys` that holds JSON text (an object or array); undefined when none does. */
export function pickJsonValue(attrs: Attributes, ...keys: string[]): unknown {
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === "string" && isJsonText(v)) return JSON.parse(v);
  }
  return undefined;
}

function isJsonText(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return false;
  try {
    JSON.parse(text);
  } catch {
    return false;
  }
  return !nestedDeeperThan(text, SQLITE_MAX_JSON_DEPTH);
}

/**
 * SQLite's JSON functions (and the json_valid CHECKs on failure inputs) refuse text nested
 * deeper than this, though JSON.parse accepts it: kept as it is, such text would fail the
 * batch's insert or every query that reads the column as JSON.
 */
const SQLITE_MAX_JSON_DEPTH = 1000;

/** For valid JSON text: does it open more than `max` arrays or objects at once? */
function nestedDeeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max) return false; // each level costs two characters
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
