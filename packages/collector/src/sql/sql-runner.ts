import { HttpError } from "../errors.js";
import { QueryChild } from "./query-child.js";
import { QueryCancelledError } from "./query-errors.js";
import { QueryLine } from "./query-line.js";
import {
  type QueryLimits,
  queryLimits,
  type RunOptions,
  type SqlConsole,
  type SqlConsoleOptions,
  type SqlResult,
} from "./sql-console.js";

export { SqlBusyError } from "./query-line.js";
export { MAX_TIMER_MS, type RunOptions, type SqlResult } from "./sql-console.js";

export interface SqlRunnerOptions extends SqlConsoleOptions {
  /** Path of the store file, opened read-only by the query processes. */
  db: string;
}

/**
 * The SQL console of a SQLite store: read-only SQL in child processes, at most `concurrency` at
 * once, the rest in a bounded line. The time limit counts from when a loaded process takes the
 * query, so a process's cold start (slow on a busy machine) never counts against it, and the limit
 * really stops a runaway query: its process is killed and a fresh one started for the next. The
 * server's own thread never runs user SQL, so ingest goes on meanwhile.
 */
export class SqlRunner implements SqlConsole {
  private readonly idle: QueryChild[] = [];
  private readonly children = new Set<QueryChild>();
  private closed = false;
  private readonly limits: QueryLimits;
  private readonly line: QueryLine<SqlResult>;

  constructor(private readonly options: SqlRunnerOptions) {
    this.limits = queryLimits(options, "SqlRunner");
    this.line = new QueryLine(options.concurrency ?? 2, options.maxWaiting ?? 16, (sql, signal) =>
      this.execute(sql, signal),
    );
  }

  get load(): { running: number; waiting: number } {
    return this.line.load;
  }

  run(sql: string, options: RunOptions = {}): Promise<SqlResult> {
    return this.line.run(sql, options);
  }

  private async execute(sql: string, signal: AbortSignal | undefined): Promise<SqlResult> {
    const child = await this.readyChild();
    if (signal?.aborted) {
      this.idle.push(child);
      throw new QueryCancelledError();
    }
    return child.run(sql, this.limits, signal).finally(() => {
      if (child.usable && !this.closed) this.idle.push(child);
      else this.children.delete(child);
    });
  }

  /** An idle loaded process, or a new one once it has loaded. */
  private async readyChild(): Promise<QueryChild> {
    if (this.closed) throw new HttpError(503, "the SQL runner is closed");
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
    this.line.close();
    this.idle.length = 0;
    for (const child of this.children) child.kill();
    this.children.clear();
  }
}
