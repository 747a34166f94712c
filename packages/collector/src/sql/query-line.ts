import { HttpError } from "../errors.js";
import { QueryCancelledError } from "./query-errors.js";

export interface RunOptions {
  /** Aborting stops the query: dropped from the line, or stopped where it runs. */
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

/** Runs one query: `signal` aborts when its caller goes away, and the query must then be stopped. */
export type ExecuteQuery<T> = (sql: string, signal: AbortSignal | undefined) => Promise<T>;

interface Job<T> {
  sql: string;
  signal?: AbortSignal;
  resolve(result: T): void;
  reject(error: unknown): void;
}

/**
 * The queries of one SQL console: at most `concurrency` run at once, at most `maxWaiting` wait
 * for a free place, and more are refused (429) rather than queued without bound. A waiting query
 * whose caller goes away leaves the line; a running one is left to `execute` to stop.
 */
export class QueryLine<T> {
  private readonly waiting: Job<T>[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly execute: ExecuteQuery<T>,
  ) {
    if (!(Number.isInteger(concurrency) && concurrency > 0))
      throw new Error("SQL console: concurrency must be a positive integer");
    if (!(Number.isInteger(maxWaiting) && maxWaiting >= 0))
      throw new Error("SQL console: maxWaiting must be a whole number");
  }

  /** Queries running now, and queries waiting for a free place. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  run(sql: string, { signal }: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new HttpError(503, "the SQL runner is closed"));
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    if (this.running >= this.concurrency && this.waiting.length >= this.maxWaiting)
      return Promise.reject(new SqlBusyError(this.running, this.waiting.length));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(job);
        if (index === -1) return; // running: `execute` stops it
        this.waiting.splice(index, 1);
        job.reject(new QueryCancelledError());
      };
      const job: Job<T> = {
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

  /** Starts waiting queries while places are free. */
  private dispatch(): void {
    while (this.waiting.length > 0 && this.running < this.concurrency) {
      const job = this.waiting.shift()!;
      this.running++;
      void this.execute(job.sql, job.signal)
        .then(job.resolve, job.reject)
        .finally(() => {
          this.running--;
          this.dispatch();
        });
    }
  }

  /** Refuses new queries and those still waiting; running ones are the owner's to stop. */
  close(): void {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new HttpError(503, "the SQL runner is closed"));
  }
}
