import type { RunOptions } from "./query-line.js";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, type QueryResult } from "./read-only-query.js";

export type { RunOptions } from "./query-line.js";

export interface SqlResult extends QueryResult {
  elapsedMs: number;
}

/**
 * The SQL console of `POST /api/sql` and `flightrec query`: one read-only statement at a time per
 * caller, time-, row- and byte-limited, with the same answers and errors whatever the store.
 * SqlRunner serves a SQLite store, PostgresSqlRunner a PostgreSQL one.
 */
export interface SqlConsole {
  run(sql: string, options?: RunOptions): Promise<SqlResult>;
  /** Queries running now, and queries waiting for a free place. */
  readonly load: { running: number; waiting: number };
  close(): Promise<void>;
}

/** Node timers hold at most 2^31 − 1 ms and run a longer delay after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SqlConsoleOptions {
  /** A query still running this long after it started is stopped. Default 5 s. */
  timeoutMs?: number;
  maxRows?: number;
  /** About this many bytes of JSON at most; later rows are cut off (`truncated`). */
  maxBytes?: number;
  /** Queries that run at once. Default 2. */
  concurrency?: number;
  /** Queries waiting for a free place; more are refused (429). Default 16. */
  maxWaiting?: number;
}

export interface QueryLimits {
  timeoutMs: number;
  maxRows: number;
  maxBytes: number;
}

/** The limits with their defaults, checked: a bad one would stop every query or none. */
export function queryLimits(options: SqlConsoleOptions, owner: string): QueryLimits {
  const limits = {
    timeoutMs: options.timeoutMs ?? 5_000,
    maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  };
  // A longer timer would fire at once and stop every query.
  if (!(limits.timeoutMs > 0 && limits.timeoutMs <= MAX_TIMER_MS))
    throw new Error(`${owner}: timeoutMs must be from 1 to 2^31 - 1`);
  // The row limit is checked by equality with the row count.
  if (!(Number.isInteger(limits.maxRows) && limits.maxRows > 0))
    throw new Error(`${owner}: maxRows must be a positive integer`);
  if (!(limits.maxBytes > 0)) throw new Error(`${owner}: maxBytes must be positive`);
  return limits;
}
