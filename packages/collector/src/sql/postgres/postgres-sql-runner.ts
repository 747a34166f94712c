import pg from "pg";
import Cursor from "pg-cursor";
import { HttpError } from "../../errors.js";
import {
  ALLOWED_START,
  NOT_A_QUERY,
  QueryCancelledError,
  QueryRejectedError,
  timeoutMessage,
} from "../query-errors.js";
import { QueryLine } from "../query-line.js";
import { RowBudget } from "../row-budget.js";
import {
  type QueryLimits,
  queryLimits,
  type RunOptions,
  type SqlConsole,
  type SqlConsoleOptions,
  type SqlResult,
} from "../sql-console.js";
import { describeQueryError } from "./pg-errors.js";
import { CONSOLE_TYPES } from "./pg-values.js";
import { CONSOLE_APPLICATION_NAME, ensureReaderRole, type ReaderLogin, readerUrl } from "./reader-role.js";

export interface PostgresSqlRunnerOptions extends SqlConsoleOptions {
  /** The store's connection URL (its owner): used once to make the reader role; queries run as that role. */
  url: string;
}

/** Rows fetched from the server per round trip. */
const BATCH_ROWS = 500;
/**
 * The server's statement_timeout stops a query on time; past it by this much, the console cancels
 * the query itself (a server that did not), and past that again closes its connection.
 */
const GRACE_MS = 1_000;
/** query_canceled: by statement_timeout, or by pg_cancel_backend. */
const QUERY_CANCELED = "57014";

/** The reader's connections, and where its queries find the store's tables. */
interface ReaderPool {
  pool: pg.Pool;
  url: string;
  schema: string;
}

/**
 * The SQL console of a PostgreSQL store, with the database's own guarantees rather than a parser's
 * judgment: every query runs as a role of its own that may only SELECT the store's relations
 * (reader-role.ts), in a READ ONLY transaction that is always rolled back (so not even a
 * pg_notify or set_config outlives it), under SET LOCAL statement_timeout, through a cursor that
 * fetches only the rows the caps keep. A query whose caller goes away is cancelled on the server
 * (pg_cancel_backend). At most `concurrency` run at once, each on its own connection.
 */
export class PostgresSqlRunner implements SqlConsole {
  private readonly limits: QueryLimits;
  private readonly line: QueryLine<SqlResult>;
  private readonly concurrency: number;
  private reader: Promise<ReaderPool> | null = null;
  /** Each pooled connection's server process, for pg_cancel_backend. */
  private readonly pids = new WeakMap<pg.PoolClient, number>();
  private closed = false;
  /** Stops each running query: what close() calls. */
  private readonly running = new Set<() => void>();

  constructor(private readonly options: PostgresSqlRunnerOptions) {
    this.limits = queryLimits(options, "PostgresSqlRunner");
    this.concurrency = options.concurrency ?? 2;
    this.line = new QueryLine(this.concurrency, options.maxWaiting ?? 16, (sql, signal) =>
      this.execute(sql, signal),
    );
  }

  get load(): { running: number; waiting: number } {
    return this.line.load;
  }

  run(sql: string, options: RunOptions = {}): Promise<SqlResult> {
    return this.line.run(sql, options);
  }

  /** The reader's pool, made on first use: a store that never gets a query never gets the role. */
  private readerPool(): Promise<ReaderPool> {
    this.reader ??= ensureReaderRole(this.options.url).then(
      (login) => this.openPool(login),
      (error: Error & { code?: string }) => {
        this.reader = null; // the next query tries again
        // 42501: insufficient_privilege, the store's user may not create roles.
        const hint = error.code === "42501" ? " (the store's user needs CREATEROLE)" : "";
        throw new HttpError(
          503,
          `the SQL console could not set up its read-only role${hint}: ${error.message}`,
        );
      },
    );
    return this.reader;
  }

  private openPool(login: ReaderLogin): ReaderPool {
    const url = readerUrl(this.options.url, login);
    const pool = new pg.Pool({
      connectionString: url,
      application_name: CONSOLE_APPLICATION_NAME,
      max: this.concurrency,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    pool.on("error", () => {}); // an idle connection's error: the pool drops it
    return { pool, url, schema: login.schema };
  }

  private async execute(sql: string, signal: AbortSignal | undefined): Promise<SqlResult> {
    if (!ALLOWED_START.test(sql)) throw new QueryRejectedError(NOT_A_QUERY);
    if (this.closed) throw new HttpError(503, "the SQL runner is closed");
    const { pool, url, schema } = await this.readerPool();
    const client = await pool.connect().catch((error: unknown) => {
      throw describeQueryError(error);
    });
    if (signal?.aborted) {
      client.release();
      throw new QueryCancelledError();
    }
    let stoppedBy: "timeout" | "client" | null = null;
    let broken = false;
    const stop = (why: "timeout" | "client") => {
      if (stoppedBy) return;
      stoppedBy = why;
      void this.cancel(url, client);
      // A server that does not act on the cancel loses the connection.
      closer = setTimeout(() => {
        broken = true;
        void client.end().catch(() => {});
      }, GRACE_MS * 5);
    };
    let closer: NodeJS.Timeout | undefined;
    const backstop = setTimeout(() => stop("timeout"), this.limits.timeoutMs + GRACE_MS);
    const onAbort = () => stop("client");
    signal?.addEventListener("abort", onAbort, { once: true });
    this.running.add(onAbort);
    const started = performance.now();
    try {
      await this.knowPid(client);
      // Stopped before its process ID was known: no cancel was sent, so it must not start.
      if (stoppedBy) throw new QueryCancelledError();
      // Settings of this transaction alone, not startup parameters: connection poolers such as
      // PgBouncer refuse the `options` a client sends at startup.
      await client.query(
        [
          "BEGIN TRANSACTION READ ONLY",
          `SET LOCAL statement_timeout = ${this.limits.timeoutMs}`,
          `SET LOCAL search_path = ${client.escapeIdentifier(schema)}`,
          // A client that went away is noticed within a second, even mid-query.
          "SET LOCAL client_connection_check_interval = 1000",
          `SET LOCAL idle_in_transaction_session_timeout = ${this.limits.timeoutMs + 10 * GRACE_MS}`,
        ].join("; "),
      );
      const result = await this.fetch(client, sql);
      return { ...result, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (stoppedBy === "client") throw new QueryCancelledError();
      if (
        stoppedBy === "timeout" ||
        (code === QUERY_CANCELED && /statement timeout/.test((error as Error).message))
      )
        throw new QueryRejectedError(timeoutMessage(this.limits.timeoutMs));
      throw describeQueryError(error);
    } finally {
      clearTimeout(backstop);
      signal?.removeEventListener("abort", onAbort);
      this.running.delete(onAbort);
      // Rolled back, never committed: nothing the query did (a pg_notify, a set_config) outlives it.
      if (!broken) await client.query("ROLLBACK").catch(() => (broken = true));
      clearTimeout(closer);
      client.release(broken || stoppedBy !== null ? true : undefined);
    }
  }

  /** Reads rows through a cursor until the caps are full: the server never computes rows past them. */
  private async fetch(
    client: pg.PoolClient,
    sql: string,
  ): Promise<{ columns: string[]; rows: unknown[][]; truncated: boolean }> {
    const cursor = client.query(new Cursor(sql, [], { rowMode: "array", types: CONSOLE_TYPES }));
    const budget = new RowBudget(this.limits.maxRows, this.limits.maxBytes);
    let columns: string[] = [];
    try {
      for (;;) {
        const { rows, fields } = await new Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }>(
          (resolve, reject) =>
            cursor.read(BATCH_ROWS, (error, rows, result) =>
              error ? reject(error) : resolve({ rows: rows as unknown[][], fields: result?.fields ?? [] }),
            ),
        );
        if (fields.length > 0) columns = fields.map((f) => f.name);
        if (rows.length === 0) break;
        if (!rows.every((row) => budget.offer(row))) break;
      }
    } finally {
      await cursor.close().catch(() => {});
    }
    return { columns, ...budget.result() };
  }

  /** Asks the server for the connection's process ID once, for a later pg_cancel_backend. */
  private async knowPid(client: pg.PoolClient): Promise<void> {
    if (this.pids.has(client)) return;
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    this.pids.set(client, rows[0]!.pid);
  }

  /**
   * Cancels the connection's running statement from a connection of its own: the reader may signal
   * only backends of its own role, and needs no free place in the pool to do it.
   */
  private async cancel(url: string, client: pg.PoolClient): Promise<void> {
    const pid = this.pids.get(client);
    if (pid === undefined) return;
    const canceller = new pg.Client({
      connectionString: url,
      application_name: CONSOLE_APPLICATION_NAME,
      connectionTimeoutMillis: 5_000,
    });
    try {
      await canceller.connect();
      await canceller.query("SELECT pg_cancel_backend($1)", [pid]);
    } catch {
      // The connection is closed after the grace period instead.
    } finally {
      await canceller.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.line.close();
    for (const stop of this.running) stop();
    const reader = this.reader;
    this.reader = null;
    if (reader) await reader.then(({ pool }) => pool.end()).catch(() => {});
  }
}
