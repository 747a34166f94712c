import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

/**
 * Occupies every thread of libuv's pool (the one statfs, gunzip and other fs calls wait for), as
 * gunzip of many bodies does under load: each thread blocks opening a FIFO until `release()`
 * opens its other end. Nothing here depends on how fast the machine is.
 */
function occupyThreadpool(dir: string) {
  const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const fifos = Array.from({ length: size }, (_, i) => join(dir, `fifo-${i}`));
  execFileSync("mkfifo", fifos);
  const blocked = fifos.map((fifo) => open(fifo, "r"));
  return {
    release: async () => {
      // Opened for writing by another process: from here, that too would wait for a pool thread.
      execFileSync("sh", ["-c", 'for fifo in "$@"; do : > "$fifo"; done', "sh", ...fifos]);
      for (const handle of await Promise.all(blocked)) await handle.close();
    },
  };
}

describe("/health when the threadpool is busy", () => {
  let collector: TestCollector;
  let dir: string;
  beforeAll(async () => {
    collector = await startTestCollector();
    dir = mkdtempSync(join(tmpdir(), "flightrec-fifo-"));
  });
  afterAll(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 200 with the disk space it last read, without waiting for a pool thread", async () => {
    const first = await fetch(`${collector.server.url}/health`);
    expect(first.status).toBe(200);
    const pool = occupyThreadpool(dir);
    try {
      const response = await fetch(`${collector.server.url}/health`);
      expect(response.status).toBe(200);
      const health = (await response.json()) as { status: string; disk: { freeBytes: number } };
      expect(health.status).toBe("ok");
      expect(health.disk.freeBytes).toBeGreaterThan(0);
    } finally {
      await pool.release();
    }
  });
});
