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
  /** How old the free-space reading may be before a request starts a new one. Default 1 s. */
  diskRefreshMs?: number;
}

/**
 * `GET /health`: 200 when the store is writable and the disk has room, else 503; always says why.
 * It must answer fast under overload, or liveness probes kill a collector that is only busy: the
 * writability check is a synchronous BEGIN IMMEDIATE/ROLLBACK on the writer (microseconds), and
 * free space comes from the last reading, refreshed in the background, so an answer never waits
 * on the threadpool (which gunzip keeps busy under load).
 */
export function healthRoute({
  store,
  queue,
  dbPath,
  minFreeBytes = 100 * 1024 * 1024,
  diskRefreshMs = 1_000,
}: HealthRouteOptions): Hono {
  const app = new Hono();
  const disk = dbPath ? diskSpace(dirname(dbPath), diskRefreshMs) : null;
  app.get("/health", async (c) => {
    const writable = await store.isWritable();
    const free = disk ? await disk.freeBytes() : null;
    const diskOk = free === null || free >= minFreeBytes;
    const ok = writable && diskOk;
    return c.json(
      {
        status: ok ? "ok" : "degraded",
        store: { writable },
        disk: free === null ? null : { freeBytes: free, ok: diskOk },
        queue: { depth: queue.depth },
      },
      ok ? 200 : 503,
    );
  });
  return app;
}

/**
 * Free bytes of a directory's file system: the last reading, and a new one started (not awaited)
 * once it is older than `refreshMs`. Only the very first call waits for a reading.
 */
function diskSpace(dir: string, refreshMs: number): { freeBytes(): Promise<number | null> } {
  let last: { at: number; bytes: number | null } | null = null;
  let reading: Promise<number | null> | null = null;
  const read = () => {
    reading ??= statfs(dir)
      .then((s) => s.bavail * s.bsize)
      .catch(() => null)
      .then((bytes) => {
        last = { at: performance.now(), bytes };
        reading = null;
        return bytes;
      });
    return reading;
  };
  void read();
  return {
    freeBytes: async () => {
      if (!last) return read();
      if (performance.now() - last.at > refreshMs) void read();
      return last.bytes;
    },
  };
}
