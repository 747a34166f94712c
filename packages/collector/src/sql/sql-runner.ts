import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_ROWS,
  QueryRejectedError,
  type QueryResult,
} from "./read-only-query.js";

/** Node timers hold at most 2^31 − 1 ms and run a longer delay after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SqlRunnerOptions {
  /** Path of the store file, opened read-only by the query process. */
  db: string;
  /** A query still running after this long is stopped (its process killed). */
  timeoutMs?: number;
  maxRows?: number;
  /** About this many bytes of JSON at most; later rows are cut off (`truncated`). */
  maxBytes?: number;
  /** Queries waiting for the query process; more are refused. */
  maxWaiting?: number;
}

export interface SqlResult extends QueryResult {
  elapsedMs: number;
}

export class SqlBusyError extends Error {
  constructor() {
    super("too many SQL queries waiting; retry later");
    this.name = "SqlBusyError";
  }
}

interface Reply {
  id: number;
  ok: boolean;
  result?: QueryResult;
  elapsedMs?: number;
  error?: string;
}

/**
 * Runs read-only SQL in a separate process, one query at a time, with a time limit that
 * really stops a runaway query: the process is killed and a fresh one started. The server's
 * own thread never runs user SQL, so ingest goes on meanwhile.
 */
export class SqlRunner {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly timeoutMs: number;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly maxWaiting: number;

  constructor(private readonly options: SqlRunnerOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxWaiting = options.maxWaiting ?? 16;
    // A longer timer would fire at once and stop every query.
    if (!(this.timeoutMs > 0 && this.timeoutMs <= MAX_TIMER_MS))
      throw new Error("SqlRunner: timeoutMs must be from 1 to 2^31 - 1");
    // The row limit is checked by equality with the row count.
    if (!(Number.isInteger(this.maxRows) && this.maxRows > 0))
      throw new Error("SqlRunner: maxRows must be a positive integer");
    if (!(this.maxBytes > 0)) throw new Error("SqlRunner: maxBytes must be positive");
  }

  run(sql: string): Promise<SqlResult> {
    if (this.waiting >= this.maxWaiting) return Promise.reject(new SqlBusyError());
    this.waiting++;
    const result = this.chain.then(() => this.execute(sql));
    this.chain = result.catch(() => {}).finally(() => this.waiting--);
    return result;
  }

  private execute(sql: string): Promise<SqlResult> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<SqlResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.kill();
        reject(new QueryRejectedError(`query stopped: it ran longer than the ${this.timeoutMs} ms limit`));
      }, this.timeoutMs);
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve({ ...reply.result!, elapsedMs: Math.round(reply.elapsedMs! * 10) / 10 });
        else reject(new QueryRejectedError(reply.error ?? "query failed"));
      };
      const onExit = () => {
        cleanup();
        this.child = null;
        reject(new QueryRejectedError("the query process ended unexpectedly"));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ id, sql, maxRows: this.maxRows, maxBytes: this.maxBytes });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.connected) return this.child;
    const script = new URL(
      `./query-process${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`,
      import.meta.url,
    );
    // Running from TypeScript sources (tests, benches): the child needs the same loader.
    const execArgv = script.pathname.endsWith(".ts") ? ["--import", "tsx"] : [];
    this.child = fork(fileURLToPath(script), [this.options.db], {
      execArgv,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    this.child.unref();
    this.child.channel?.unref();
    return this.child;
  }

  private kill(): void {
    this.child?.kill("SIGKILL");
    this.child = null;
  }

  async close(): Promise<void> {
    this.kill();
  }
}
