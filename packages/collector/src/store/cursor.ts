import { InvalidCursorError } from "./store.js";

/** Opaque page cursors: the last row's sort value and tie-breaker, as base64url JSON. */
export function encodeCursor(value: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

/** Cursor values SQLite can bind: a client may send anything, and anything else would be a 500. */
export type CursorValue = string | number | null;

export function decodeCursor(cursor: string): [CursorValue, CursorValue] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every(isCursorValue)) {
      return parsed as [CursorValue, CursorValue];
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/** A 64-bit integer the store wrote into a cursor as decimal text (it exceeds JSON numbers). */
export function cursorInteger(value: CursorValue): bigint {
  if (typeof value === "string" && /^-?\d{1,19}$/.test(value)) {
    const n = BigInt(value);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  throw new InvalidCursorError();
}

function isCursorValue(value: unknown): value is CursorValue {
  return value === null || typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/** The cursor of a LangGraph checkpoint list: the last checkpoint's thread, namespace and ID. */
export function encodeGraphCursor(thread: string, ns: string, id: string): string {
  return encodeCursor(thread, JSON.stringify([ns, id]));
}

export function decodeGraphCursor(cursor: string): [string, string, string] {
  const [thread, rest] = decodeCursor(cursor);
  try {
    const parsed: unknown = JSON.parse(String(rest));
    if (
      typeof thread === "string" &&
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((v) => typeof v === "string")
    ) {
      return [thread, parsed[0] as string, parsed[1] as string];
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}
