import { statfs } from "node:fs/promises";
import { dirname } from "node:path";
import { Hono } from "hono";
import type { WriteQueue } from "../ingest/write-queue.js";
import type { DecisionStore } from "../store/store.js";

export interface HealthRouteOptions {
  store: DecisionStore;
  queue: WriteQueue;
  /** Store file path, for the free-space check; omitted → not reported. */
  dbPath?: string;
  /** Below this many free bytes the collector reports itself degraded. */
  minFreeBytes?: number;
}

/** `GET /health`: 200 when the store is writable and the disk has room, else 503; always says why. */
export function healthRoute({
  store,
  queue,
  dbPath,
  minFreeBytes = 100 * 1024 * 1024,
}: HealthRouteOptions): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const writable = await store.isWritable();
    const disk = dbPath ? await freeBytes(dbPath) : null;
    const diskOk = disk === null || disk >= minFreeBytes;
    const ok = writable && diskOk;
    return c.json(
      {
        status: ok ? "ok" : "degraded",
        store: { writable },
        disk: disk === null ? null : { freeBytes: disk, ok: diskOk },
        queue: { depth: queue.depth },
      },
      ok ? 200 : 503,
    );
  });
  return app;
}

async function freeBytes(path: string): Promise<number | null> {
  try {
    const s = await statfs(dirname(path));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
