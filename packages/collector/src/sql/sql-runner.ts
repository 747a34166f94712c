import { HttpError } from "../errors.js";
import { QueryChild, type QueryLimits, type SqlResult } from "./query-child.js";
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, QueryCancelledError } from "./read-only-query.js";

export type { SqlResult } from "./query-child.js";

/** Node timers hold at most 2^31 − 1 ms and run a longer delay after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SqlRunnerOptions {
  /** Path of the store file, opened read-only by the query processes. */
  db: string;
  /** A query still running this long after a query process took it is stopped (the process killed). */
  timeoutMs?: number;
  maxRows?: number;
  /** About this many bytes of JSON at most; later rows are cut off (`truncated`). */
  maxBytes?: number;
  /** Queries that run at once, each in its own process. Default 2. */
  concurrency?: number;
  /** Queries waiting for a free process; more are refused (429). Default 16. */
  maxWaiting?: number;
}

export interface RunOptions {
  /** Aborting stops the query: dropped from the line, or its process killed if it runs. */
  signal?: AbortSignal;
}

export class SqlBusyError extends HttpError {
  constructor(running: number, waiting: number) {
    super(429, `too many SQL queries: ${running} running and ${waiting} waiting; retry later`, {
      "retry-after": "1",
    });
    this.name = "SqlBusyError";
  }
}

interface Job {
  sql: string;
  signal?: AbortSignal;
  resolve(result: SqlResult): void;
  reject(error: unknown): void;
}

/**
 * Runs read-only SQL in child processes: at most `concurrency` at once, the rest in a bounded
 * line. The time limit counts from when a loaded process takes the query, so a process's cold
 * start (slow on a busy machine) never counts against it, and the limit really stops a runaway
 * query: its process is killed and a fresh one started for the next. The server's own thread
 * never runs user SQL, so ingest goes on meanwhile.
 */
export class SqlRunner {
  private readonly idle: QueryChild[] = [];
  private readonly children = new Set<QueryChild>();
  private readonly waiting: Job[] = [];
  private running = 0;
  private closed = false;
  private readonly limits: QueryLimits;
  private readonly concurrency: number;
  private readonly maxWaiting: number;

  constructor(private readonly options: SqlRunnerOptions) {
    this.limits = {
      timeoutMs: options.timeoutMs ?? 5_000,
      maxRows: options.maxRows ?? DEFAULT_MAX_ROWS,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    };
    this.concurrency = options.concurrency ?? 2;
    this.maxWaiting = options.maxWaiting ?? 16;
    // A longer timer would fire at once and stop every query.
    if (!(this.limits.timeoutMs > 0 && this.limits.timeoutMs <= MAX_TIMER_MS))
      throw new Error("SqlRunner: timeoutMs must be from 1 to 2^31 - 1");
    // The row limit is checked by equality with the row count.
    if (!(Number.isInteger(this.limits.maxRows) && this.limits.maxRows > 0))
      throw new Error("SqlRunner: maxRows must be a positive integer");
    if (!(this.limits.maxBytes > 0)) throw new Error("SqlRunner: maxBytes must be positive");
    if (!(Number.isInteger(this.concurrency) && this.concurrency > 0))
      throw new Error("SqlRunner: concurrency must be a positive integer");
    if (!(Number.isInteger(this.maxWaiting) && this.maxWaiting >= 0))
      throw new Error("SqlRunner: maxWaiting must be a whole number");
  }

  /** Queries running now, and queries waiting for a free process. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  run(sql: string, { signal }: RunOptions = {}): Promise<SqlResult> {
    if (this.closed) return Promise.reject(new HttpError(503, "the SQL runner is closed"));
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    if (this.running >= this.concurrency && this.waiting.length >= this.maxWaiting)
      return Promise.reject(new SqlBusyError(this.running, this.waiting.length));
    return new Promise<SqlResult>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(job);
        if (index === -1) return; // running: its query process is killed instead
        this.waiting.splice(index, 1);
        job.reject(new QueryCancelledError());
      };
      const job: Job = {
        sql,
        signal,
        resolve: (result) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(job);
      this.dispatch();
    });
  }

  /** Hands waiting queries to free processes, starting processes up to `concurrency`. */
  private dispatch(): void {
    while (this.waiting.length > 0 && this.running < this.concurrency) {
      const job = this.waiting.shift()!;
      this.running++;
      void this.execute(job).finally(() => {
        this.running--;
        this.dispatch();
      });
    }
  }

  private async execute(job: Job): Promise<void> {
    try {
      const child = await this.readyChild();
      if (job.signal?.aborted) {
        this.idle.push(child);
        throw new QueryCancelledError();
      }
      const result = await child.run(job.sql, this.limits, job.signal).finally(() => {
        if (child.usable && !this.closed) this.idle.push(child);
        else this.children.delete(child);
      });
      job.resolve(result);
    } catch (error) {
      job.reject(error);
    }
  }

  /** An idle loaded process, or a new one once it has loaded. */
  private async readyChild(): Promise<QueryChild> {
    let child = this.idle.pop();
    while (child && !child.usable) {
      this.children.delete(child);
      child = this.idle.pop();
    }
    if (!child) {
      child = new QueryChild(this.options.db);
      this.children.add(child);
    }
    const starting = child;
    await starting.ready.catch((error: unknown) => {
      this.children.delete(starting);
      throw error;
    });
    return starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new HttpError(503, "the SQL runner is closed"));
    this.idle.length = 0;
    for (const child of this.children) child.kill();
    this.children.clear();
  }
}
