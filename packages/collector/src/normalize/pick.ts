import type { AttributeValue } from "../otlp/attributes.js";

export type Attributes = Record<string, AttributeValue>;

/**
 * The value a key names: an attribute (`metadata`), or with `#` a field inside one that holds
 * a JSON object as text or as a key/value list (`metadata#langgraph_step`, dots for deeper
 * fields: `output.value#output.kwargs.content`). Frameworks that put their own fields in one
 * JSON attribute are mapped by such keys instead of by code.
 */
export function valueAt(attrs: Attributes, key: string): AttributeValue | undefined {
  const hash = key.indexOf("#");
  if (hash < 0) return attrs[key];
  let v: AttributeValue | undefined = parsedAttribute(attrs, key.slice(0, hash));
  for (const field of key.slice(hash + 1).split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = v[field];
  }
  return v;
}

/** Each span's JSON attributes are parsed once, however many keys read them. */
const parsedAttributes = new WeakMap<Attributes, Map<string, AttributeValue | undefined>>();

function parsedAttribute(attrs: Attributes, name: string): AttributeValue | undefined {
  const raw = attrs[name];
  // Most spans have no such attribute (the keys are tried on every span): nothing to parse or cache.
  if (typeof raw !== "string") return raw;
  let parsed = parsedAttributes.get(attrs);
  if (!parsed) {
    parsed = new Map();
    parsedAttributes.set(attrs, parsed);
  }
  if (parsed.has(name)) return parsed.get(name);
  let value: AttributeValue | undefined;
  try {
    value = raw.trimStart().startsWith("{") ? (JSON.parse(raw) as AttributeValue) : undefined;
  } catch {
    value = undefined;
  }
  parsed.set(name, value);
  return value;
}

/** The first of `keys` that holds a non-empty string (numbers are stringified). */
export function pickString(attrs: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = valueAt(attrs, key);
    if (typeof v === "string" && v !== "") return v;
    if (typeof v === "number") return String(v);
  }
  return null;
}

/** The first of `keys` that holds a finite number (numeric strings accepted). */
export function pickNumber(attrs: Attributes, ...keys: string[]): number | null {
  for (const key of keys) {
    const v = valueAt(attrs, key);
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

export function pickBoolean(attrs: Attributes, key: string): boolean {
  const v = valueAt(attrs, key);
  return v === true || v === "true";
}

/**
 * JSON text for a value that may already be JSON text; null when absent. An empty string counts
 * as absent: sources set one where they had nothing (Vercel's `ai.response.text` on a step that
 * only called tools), and it must not hide the next key's payload.
 */
export function pickJson(attrs: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = valueAt(attrs, key);
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
