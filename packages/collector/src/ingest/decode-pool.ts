import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { HttpError } from "../errors.js";
import type { OtlpEncoding } from "../otlp/decode.js";
import { type Decoded, decodeAndNormalize, type OtlpSignal } from "./decode-normalize.js";

export interface DecodePoolOptions {
  /** Worker threads; 0 decodes on the server thread. Default: cores − 1 (the server thread writes). */
  threads?: number;
  /** Largest body a worker is given (after decompression), which sizes its heap. Default 16 MiB. */
  maxBodyBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * Old-generation heap of a worker, in MiB. Decoded, a body takes up to ~10 times its size: the
 * body as text, the parsed strings, and the attributes JSON, input and failure context that may
 * each copy them, all two bytes a character once one is outside Latin-1. A heap smaller than
 * that for the largest accepted body made such a request kill its worker on every retry.
 */
function workerHeapMb(maxBodyBytes: number): number {
  return 64 + 10 * Math.ceil(maxBodyBytes / MIB);
}

interface Reply {
  id: number;
  batch?: Decoded[OtlpSignal];
  error?: { status: number; message: string };
}

/**
 * Decoding and normalizing cost as much as writing, so they run on worker threads while the
 * server thread only writes to SQLite. Bodies are transferred, not copied. From TypeScript
 * sources (tests) the worker file cannot load, and decoding stays on the server thread.
 */
export class DecodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve(b: Decoded[OtlpSignal]): void; reject(e: unknown): void }
  >();
  private readonly script = new URL("./decode-worker.js", import.meta.url);
  private closing = false;
  private nextId = 1;
  private next = 0;

  private readonly heapMb: number;

  constructor(options: DecodePoolOptions = {}) {
    const fromSources = import.meta.url.endsWith(".ts");
    const threads = fromSources ? 0 : (options.threads ?? Math.max(1, availableParallelism() - 1));
    this.heapMb = workerHeapMb(options.maxBodyBytes ?? 16 * MIB);
    for (let i = 0; i < threads; i++) this.workers.push(this.spawn());
  }

  /**
   * A bounded heap, just large enough for the largest body: under overload the collector
   * refuses work (the route limits the bytes decoded at once) rather than grow.
   */
  private spawn(): Worker {
    const worker = new Worker(this.script, {
      resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: this.heapMb },
    });
    worker.on("message", (reply: Reply) => this.settle(reply));
    worker.on("error", () => {});
    worker.once("exit", () => this.replace(worker));
    worker.unref();
    return worker;
  }

  /** A worker that died fails its requests as retryable and is replaced. */
  private replace(worker: Worker): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.worker !== worker) continue;
      this.pending.delete(id);
      waiting.reject(new HttpError(503, "decoder restarted; retry", { "retry-after": "1" }));
    }
    const index = this.workers.indexOf(worker);
    if (index !== -1 && !this.closing) this.workers[index] = this.spawn();
  }

  decode<S extends OtlpSignal>(body: Buffer, encoding: OtlpEncoding, signal: S): Promise<Decoded[S]> {
    // Terminated workers never answer: a body read while the collector shuts down is refused.
    if (this.closing)
      return Promise.reject(new HttpError(503, "collector is shutting down", { "retry-after": "1" }));
    if (this.workers.length === 0)
      return Promise.resolve().then(() => decodeAndNormalize(body, encoding, signal));
    const id = this.nextId++;
    const worker = this.workers[this.next++ % this.workers.length]!;
    // A pooled Buffer shares its memory; copy it out so the transfer moves only this body.
    const owned =
      body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Buffer.from(body);
    return new Promise<Decoded[S]>((resolve, reject) => {
      this.pending.set(id, { worker, resolve: resolve as (b: Decoded[OtlpSignal]) => void, reject });
      worker.postMessage({ id, body: owned, encoding, signal }, [owned.buffer as ArrayBuffer]);
    });
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.batch) waiting.resolve(reply.batch);
    else
      waiting.reject(
        new HttpError((reply.error?.status ?? 500) as 400, reply.error?.message ?? "decode failed"),
      );
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
