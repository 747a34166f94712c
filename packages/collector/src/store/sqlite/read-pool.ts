import type { Worker } from "node:worker_threads";
import { siblingModule, startModuleWorker } from "../../module-worker.js";
import { InvalidCursorError, StoreBusyError, StoreUnavailableError } from "../store.js";
import type { StoreReader } from "./store-reader.js";

/** The reads a read thread answers: every method of StoreReader. */
export type ReadMethod = {
  [K in keyof StoreReader]: StoreReader[K] extends (...args: never[]) => unknown ? K : never;
}[keyof StoreReader];
type Args<M extends ReadMethod> = Parameters<StoreReader[M]>;
type Result<M extends ReadMethod> = ReturnType<StoreReader[M]>;

export interface ReadRequest {
  id: number;
  method: ReadMethod;
  args: unknown[];
}

export interface ReadReply {
  id: number;
  result?: unknown;
  error?: { name: string; message: string; code?: string };
}

export interface ReadPoolOptions {
  /** Store file; each thread opens it read-only. */
  path: string;
  /** Names the pool in errors, e.g. "stats". */
  name: string;
  threads: number;
  /** Reads running or waiting at once; more are refused (429) instead of queueing without bound. */
  maxPending: number;
  /** Nice value of the threads (Linux): above 0, they yield the cores to the server thread. Default 0. */
  nice?: number;
}

interface Pending {
  thread: Thread;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  pending: number;
}

/**
 * Read threads, each with its own read-only connection, so that reads never run on the thread
 * that accepts and commits spans. A thread answers one read at a time; a read goes to the
 * thread with the fewest waiting. Threads start at the first read and are replaced if one dies.
 */
export class ReadPool {
  private readonly threads: (Thread | null)[];
  private readonly pending = new Map<number, Pending>();
  private readonly script = siblingModule(import.meta.url, "read-worker");
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {
    if (!(Number.isInteger(options.threads) && options.threads > 0))
      throw new Error("ReadPool: threads must be a positive integer");
    if (!(Number.isInteger(options.maxPending) && options.maxPending >= options.threads))
      throw new Error("ReadPool: maxPending must be an integer of at least threads");
    this.threads = Array.from({ length: options.threads }, () => null);
  }

  call<M extends ReadMethod>(method: M, ...args: Args<M>): Promise<Result<M>> {
    if (this.closed) return Promise.reject(new StoreUnavailableError("the store is closed"));
    if (this.pending.size >= this.options.maxPending) {
      return Promise.reject(
        new StoreBusyError(
          `${this.options.maxPending} ${this.options.name} reads are waiting already; retry shortly`,
        ),
      );
    }
    const thread = this.leastBusy();
    const id = this.nextId++;
    // A thread with a read to answer keeps the process alive (a script awaiting it would end
    // unanswered otherwise); an idle one does not.
    if (thread.pending++ === 0) thread.worker.ref();
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { thread, resolve: resolve as (value: unknown) => void, reject });
      thread.worker.postMessage({ id, method, args } satisfies ReadRequest);
    });
  }

  private leastBusy(): Thread {
    let best = -1;
    for (let i = 0; i < this.threads.length; i++) {
      const thread = this.threads[i];
      if (!thread) {
        this.threads[i] = this.spawn();
        return this.threads[i]!;
      }
      if (best === -1 || thread.pending < this.threads[best]!.pending) best = i;
    }
    return this.threads[best]!;
  }

  private spawn(): Thread {
    const worker = startModuleWorker(this.script, {
      workerData: { path: this.options.path, nice: this.options.nice ?? 0 },
    });
    const thread: Thread = { worker, pending: 0 };
    worker.on("message", (reply: ReadReply) => this.settle(reply));
    // Unhandled, a worker's error event would take the whole collector down; its exit follows.
    worker.on("error", () => {});
    worker.once("exit", () => this.lose(thread));
    worker.unref();
    return thread;
  }

  private settle(reply: ReadReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (--waiting.thread.pending === 0) waiting.thread.worker.unref();
    if (reply.error) waiting.reject(readError(reply.error));
    else waiting.resolve(reply.result);
  }

  /** A thread that stopped fails its reads as retryable; the next read starts a new one. */
  private lose(thread: Thread): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.thread !== thread) continue;
      this.pending.delete(id);
      waiting.reject(new StoreUnavailableError(`a ${this.options.name} read thread stopped; retry`));
    }
    const index = this.threads.indexOf(thread);
    if (index !== -1) this.threads[index] = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread?.worker.terminate()));
  }
}

/** The error a read thread reported, as the class the routes know. */
function readError({ name, message, code }: NonNullable<ReadReply["error"]>): Error {
  if (name === "InvalidCursorError") return new InvalidCursorError();
  if (code && /^SQLITE_(BUSY|LOCKED|IOERR|NOMEM|CANTOPEN|PROTOCOL)/.test(code))
    return new StoreUnavailableError(`store read failed: ${message}`);
  return Object.assign(new Error(message), { name });
}
