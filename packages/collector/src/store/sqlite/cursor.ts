/** Opaque page cursors: the last row's sort value and tie-breaker, as base64url JSON. */
export function encodeCursor(value: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

export function decodeCursor(cursor: string): [unknown, unknown] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2) return parsed as [unknown, unknown];
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super("invalid cursor: pass the nextCursor of a previous page unchanged");
    this.name = "InvalidCursorError";
  }
}
