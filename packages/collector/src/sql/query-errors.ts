import { HttpError } from "../errors.js";

/** The query cannot run or was stopped: not read-only, invalid, or over a limit. */
export class QueryRejectedError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = "QueryRejectedError";
  }
}

/** The caller went away (its request was aborted) before the query finished; it was stopped. */
export class QueryCancelledError extends HttpError {
  constructor() {
    super(400, "query cancelled: its client went away");
    this.name = "QueryCancelledError";
  }
}

/** Only these may start a statement: queries that read. PRAGMA, ATTACH, SET and every write are refused. */
export const ALLOWED_START = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(select|with|values|explain)\b/i;

/** The refusals both consoles give, word for word. */
export const WOULD_WRITE = "only read-only queries are allowed: this statement would write to the store";
export const NOT_A_QUERY = "only read-only queries are allowed: start with SELECT, WITH, VALUES or EXPLAIN";

export function timeoutMessage(timeoutMs: number): string {
  return `query stopped: it ran longer than the ${timeoutMs} ms limit`;
}
