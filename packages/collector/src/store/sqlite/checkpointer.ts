import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface CheckpointerOptions {
  path: string;
  intervalMs?: number;
  /** Told once when the thread stops before close(): checkpoints must then be taken elsewhere. */
  onFailure?: (error: Error) => void;
}

// Plain JavaScript, so the worker runs the same from sources and from the build.
const WORKER_CODE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Copies the WAL back into the database file on another thread. The writer connection turns
 * automatic checkpoints off, so a commit never pays for them; PASSIVE checkpoints never block
 * the writer or readers.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private closing = false;
  private failed = false;

  constructor({ path, intervalMs = 500, onFailure }: CheckpointerOptions) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_CODE, { eval: true, workerData: { path, intervalMs, driver } });
    this.worker.unref();
    const fail = (error: Error) => {
      if (this.failed) return;
      this.failed = true;
      onFailure?.(new Error(`WAL checkpoint thread stopped: ${error.message}`, { cause: error }));
    };
    // Unhandled, a worker's error event would take the whole collector down.
    this.worker.on("error", fail);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once("exit", (code) => {
        if (!this.closing) fail(new Error(`exited with code ${code}`));
        resolve();
      }),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    this.worker.ref(); // keep the process alive until the last checkpoint's connection is closed
    this.worker.postMessage("close");
    await this.exited;
  }
}
