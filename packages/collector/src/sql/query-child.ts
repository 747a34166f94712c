import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { siblingModule } from "../module-worker.js";
import { QueryCancelledError, QueryRejectedError, timeoutMessage } from "./query-errors.js";
import type { QueryResult } from "./read-only-query.js";
import type { QueryLimits, SqlResult } from "./sql-console.js";

type Reply =
  | { ready: true }
  | { id: number; ok: true; result: QueryResult; elapsedMs: number }
  | { id: number; ok: false; error: string };

/**
 * One query process (query-process.ts) and the one query it runs at a time. A query that overruns
 * its time limit, or whose caller aborts, is stopped by killing the process: the only way to stop
 * a running SQLite statement from outside. A killed or crashed child is not used again.
 */
export class QueryChild {
  /** Settles once the process is loaded and listening; rejects if it ends before. */
  readonly ready: Promise<void>;
  private readonly process: ChildProcess;
  private nextId = 1;
  private exited = false;

  constructor(db: string) {
    const script = siblingModule(import.meta.url, "query-process");
    // Running from TypeScript sources (tests, benches): the child needs the same loader.
    const execArgv = script.pathname.endsWith(".ts") ? ["--import", "tsx"] : [];
    this.process = fork(fileURLToPath(script), [db], {
      execArgv,
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    this.process.once("exit", () => {
      this.exited = true;
    });
    // A send to a process that just died fails here; its exit settles the query. Unhandled, the
    // error event would end the collector.
    this.process.on("error", () => {});
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (!("ready" in reply)) return;
        this.process.off("exit", onExit);
        this.process.off("message", onMessage);
        this.idle(true);
        resolve();
      };
      const onExit = () => reject(new QueryRejectedError("the query process could not start"));
      this.process.on("message", onMessage);
      this.process.once("exit", onExit);
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
  }

  /** False once the process ended or was killed. */
  get usable(): boolean {
    return !this.exited && this.process.connected;
  }

  /** Runs one statement; the time limit runs from now (the process is ready). */
  run(sql: string, limits: QueryLimits, signal?: AbortSignal): Promise<SqlResult> {
    const id = this.nextId++;
    this.idle(false);
    return new Promise<SqlResult>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.idle(true);
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.process.off("message", onMessage);
        this.process.off("exit", onExit);
        outcome();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new QueryRejectedError(timeoutMessage(limits.timeoutMs))));
        this.kill();
      }, limits.timeoutMs);
      const onAbort = () => {
        settle(() => reject(new QueryCancelledError()));
        this.kill();
      };
      const onMessage = (reply: Reply) => {
        if ("ready" in reply || reply.id !== id) return;
        settle(() =>
          reply.ok
            ? resolve({ ...reply.result, elapsedMs: Math.round(reply.elapsedMs * 10) / 10 })
            : reject(new QueryRejectedError(reply.error)),
        );
      };
      const onExit = () =>
        settle(() => reject(new QueryRejectedError("the query process ended unexpectedly")));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.process.on("message", onMessage);
      this.process.once("exit", onExit);
      this.process.send({ id, sql, maxRows: limits.maxRows, maxBytes: limits.maxBytes });
    });
  }

  /**
   * An idle process does not keep this one alive (a CLI exits when done); a starting or busy one
   * does, or the wait for its answer could be all that is left and end the process unanswered.
   */
  private idle(idle: boolean): void {
    if (idle) {
      this.process.unref();
      this.process.channel?.unref();
    } else {
      this.process.ref();
      this.process.channel?.ref();
    }
  }

  kill(): void {
    this.exited = true;
    this.process.kill("SIGKILL");
  }
}
