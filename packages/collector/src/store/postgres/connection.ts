import pg from "pg";
import { StoreBusyError, StoreUnavailableError } from "../store.js";

/**
 * Results as the SQLite store gives them: 64-bit integers (counts, tokens, keys) and numerics
 * (sums) as JS numbers. Nanosecond times exceed a JS number; statements that need them exact
 * select them as text.
 */
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return Number;
    return pg.types.getTypeParser(oid, format);
  },
};

/** Requests waiting for a connection before reads are refused with 429 (as the SQLite store's lookups). */
const MAX_WAITING = 256;
const waitingLimits = new WeakMap<pg.Pool, number>();
const maxWaiting = (pool: pg.Pool) => waitingLimits.get(pool) ?? MAX_WAITING;

/**
 * How the collector's connections name themselves in `pg_stat_activity`, so an operator can tell
 * them from other clients; an `application_name` in the store URL wins.
 */
export function connectionConfig(url: string, name = "flightrec"): pg.ClientConfig {
  return { connectionString: url, application_name: name };
}

export function createPool(url: string, max: number, maxWaitingReads = MAX_WAITING): pg.Pool {
  const pool = new pg.Pool({ ...connectionConfig(url), max, types, connectionTimeoutMillis: 10_000 });
  waitingLimits.set(pool, maxWaitingReads);
  // An idle connection the server ended (restart, failover) is dropped from the pool; the next
  // query opens a new one. Without a listener the error would end the process.
  pool.on("error", () => {});
  // A connection can also fail while checked out between queries (the server ended it): the next
  // query on it rejects, and the stray error event must not end the process either.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** SQLSTATE classes and codes of a server that cannot take the write now but may later. */
const UNAVAILABLE_STATES = /^(08|53|57P|58|25006|40001|40P01|55P03|HV)/;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/** A failure to retry later (server down, restarting, out of disk or connections), not a bad row. */
export function isTransient(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** Two transactions locked the same rows in another order, or a concurrent write conflicted: run it again. */
export function isRetryable(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  return code === "40P01" || code === "40001" || error instanceof RetryTransaction;
}

/** Thrown inside a transaction to have it rolled back and run again from the start. */
export class RetryTransaction extends Error {}

const ATTEMPTS = 5;

/**
 * Runs `work` in a transaction on a pooled connection and resolves after COMMIT. A deadlock or
 * serialization failure runs it again (every transaction here can run twice); a server that
 * cannot be reached is a StoreUnavailableError (503: OTLP exporters retry).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      if (isRetryable(error) && attempt < ATTEMPTS) continue;
      throw isTransient(error) ? unavailable(error) : error;
    } finally {
      client.release(broken);
    }
  }
}

/** One read on a pooled connection; an unreachable server is a StoreUnavailableError. */
export async function reading<T>(pool: pg.Pool, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  // As the SQLite store's read lanes: a bounded line, then 429, rather than a queue without end.
  if (pool.waitingCount >= maxWaiting(pool)) {
    throw new StoreBusyError(`${pool.waitingCount} reads are waiting for the store; retry shortly`);
  }
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw unavailable(error);
  }
  try {
    return await work(client);
  } catch (error) {
    throw isTransient(error) ? unavailable(error) : error;
  } finally {
    client.release();
  }
}

/** A read of several statements that must see one snapshot (a run and its rows). */
export function readingSnapshot<T>(pool: pg.Pool, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  return reading(pool, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      return await work(client);
    } finally {
      await client.query("COMMIT").catch(() => {});
    }
  });
}

export function unavailable(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const message =
    error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
  return new StoreUnavailableError(`PostgreSQL store unavailable: ${message}`, { cause: error });
}
