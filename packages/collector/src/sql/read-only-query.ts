import Database from "better-sqlite3";
import { ALLOWED_START, NOT_A_QUERY, QueryRejectedError, WOULD_WRITE } from "./query-errors.js";
import { RowBudget } from "./row-budget.js";

export { QueryCancelledError, QueryRejectedError } from "./query-errors.js";

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  /** True when more rows existed than `maxRows`, or than fit in `maxBytes`. */
  truncated: boolean;
}

export const DEFAULT_MAX_ROWS = 10_000;
/**
 * The result travels to the server as one message and is serialized again for the response;
 * a few rows of huge cells would otherwise cost the server gigabytes and seconds of its thread.
 */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Opens the store read-only: the connection cannot write, whatever SQL it is given; query_only
 * is a second lock, and extensions cannot be loaded (better-sqlite3 enables them only through
 * its own `loadExtension`, which is never called).
 */
export function openReadOnlyDatabase(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("query_only = ON");
  return db;
}

/** Runs one read-only statement and returns at most `maxRows` rows, of about `maxBytes` of JSON. */
export function runReadOnlyQuery(
  db: Database.Database,
  sql: string,
  maxRows = DEFAULT_MAX_ROWS,
  maxBytes = DEFAULT_MAX_BYTES,
): QueryResult {
  const statement = prepareReadOnly(db, sql);
  const columns = statement.columns().map((c) => c.name);
  const budget = new RowBudget(maxRows, maxBytes);
  try {
    for (const row of statement.raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>) {
      if (!budget.offer(row.map(plainValue))) break;
    }
  } catch (error) {
    throw new QueryRejectedError((error as Error).message);
  }
  return { columns, ...budget.result() };
}

/**
 * Compiles first, so a typo is reported as a syntax error rather than as a forbidden statement;
 * compiling executes nothing. Only a statement SQLite says would write is called a write.
 */
function prepareReadOnly(db: Database.Database, sql: string): Database.Statement {
  let statement: Database.Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new QueryRejectedError(describeCompileError((error as Error).message));
  }
  if (!statement.readonly) {
    throw new QueryRejectedError(WOULD_WRITE);
  }
  if (!ALLOWED_START.test(sql) || !statement.reader) {
    throw new QueryRejectedError(NOT_A_QUERY);
  }
  return statement;
}

/** SQLite says `near "SELEC": syntax error`; lead with what kind of error it is. */
function describeCompileError(message: string): string {
  const near = /^near "([\s\S]*)": syntax error$/.exec(message);
  if (near) return `SQL syntax error near "${near[1]}"`;
  if (message === "incomplete input")
    return "SQL syntax error: the statement ends too early (incomplete input)";
  return message;
}

/** JSON-safe cells: integers beyond 2^53 (nanosecond times) become exact decimal strings, blobs base64. */
function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (Buffer.isBuffer(value)) return value.toString("base64");
  return value;
}
