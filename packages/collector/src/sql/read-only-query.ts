import Database from "better-sqlite3";

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  /** True when more rows existed than `maxRows`. */
  truncated: boolean;
}

export class QueryRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryRejectedError";
  }
}

export const DEFAULT_MAX_ROWS = 10_000;

/** Opens the store read-only: the connection itself cannot write, whatever SQL it is given. */
export function openReadOnlyDatabase(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("query_only = ON");
  return db;
}

/** Runs one read-only statement and returns at most `maxRows` rows. */
export function runReadOnlyQuery(
  db: Database.Database,
  sql: string,
  maxRows = DEFAULT_MAX_ROWS,
): QueryResult {
  let statement: Database.Statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    throw new QueryRejectedError((error as Error).message);
  }
  if (!statement.readonly || !statement.reader) {
    throw new QueryRejectedError("only read-only statements that return rows (SELECT, WITH …) are allowed");
  }
  const columns = statement.columns().map((c) => c.name);
  const rows: unknown[][] = [];
  let truncated = false;
  for (const row of statement.raw(true).iterate() as IterableIterator<unknown[]>) {
    if (rows.length === maxRows) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { columns, rows, truncated };
}
