import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { spanRecord } from "../../test/span-record.js";
import type { SpanRecord } from "../domain.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { QueueFullError, WriteQueue } from "./write-queue.js";

const record = (i: number): SpanRecord =>
  spanRecord({ spanId: i.toString(16).padStart(16, "0"), runId: "r", name: "s", startNs: 1n, endNs: 2n });

describe("WriteQueue", () => {
  it("refuses batches beyond its bound with 429 and Retry-After, commits the accepted ones, then refuses with 503 once closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-queue-"));
    const store = SqliteStore.open(join(dir, "s.db"));
    const queue = new WriteQueue({ store, maxQueuedSpans: 10 });
    const accepted = [queue.submit([record(1), record(2)]), queue.submit([record(3), record(4)])];
    expect(queue.depth).toBe(4);
    const refused = queue.submit(Array.from({ length: 7 }, (_, i) => record(10 + i)));
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ status: 429, headers: { "retry-after": "1" } });
    await Promise.all(accepted);
    expect(queue.depth).toBe(0);
    const last = queue.submit([record(5)]);
    await queue.close();
    await last;
    expect(store.db.prepare("SELECT count(*) AS n FROM spans").get()).toEqual({ n: 5 });
    await expect(queue.submit([record(6)])).rejects.toMatchObject({ status: 503 });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits batches waiting together in one transaction, and a bad batch fails alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-queue-"));
    const store = SqliteStore.open(join(dir, "s.db"));
    const commits: number[] = [];
    const counting = Object.create(store, {
      ingest: {
        value: (spans: readonly SpanRecord[]) => {
          commits.push(spans.length);
          return store.ingest(spans);
        },
      },
    }) as SqliteStore;
    const queue = new WriteQueue({ store: counting, maxQueuedSpans: 100, maxGroupSpans: 4 });
    const good = [queue.submit([record(1), record(2)]), queue.submit([record(3)]), queue.submit([record(4)])];
    // A kind the spans table refuses (CHECK): its group fails, and its neighbours are written alone.
    const bad = queue.submit([{ ...record(5), kind: "bogus" as SpanRecord["kind"] }]);
    const after = queue.submit([record(6)]);
    await Promise.all(good);
    await expect(bad).rejects.toThrow(/CHECK constraint/);
    await after;
    expect(commits).toEqual([4, 2, 1, 1]);
    expect(store.db.prepare("SELECT count(*) AS n FROM spans").get()).toEqual({ n: 5 });
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("cuts a group at the spans the writer is expected to commit within maxGroupMs, so the server thread is freed between groups", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-queue-"));
    const store = SqliteStore.open(join(dir, "s.db"));
    // A clock that says each span takes 1 ms to commit, whatever this machine's speed.
    let clock = 0;
    const commits: number[] = [];
    const slow = Object.create(store, {
      ingest: {
        value: (spans: readonly SpanRecord[]) => {
          commits.push(spans.length);
          clock += spans.length;
          return store.ingest(spans);
        },
      },
    }) as SqliteStore;
    const queue = new WriteQueue({ store: slow, maxQueuedSpans: 1_000, maxGroupMs: 10, now: () => clock });
    const batch = (from: number) => Array.from({ length: 4 }, (_, i) => record(from + i));
    const bigBatch = Array.from({ length: 30 }, (_, i) => record(500 + i));
    // The first group is sized by a guess (20 µs a span: 500 spans in 10 ms); every later one by
    // what was learned.
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(batch(1 + 4 * i))));
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(batch(101 + 4 * i))));
    // A batch longer than maxGroupMs still goes, alone.
    await Promise.all([queue.submit(bigBatch), queue.submit(batch(201))]);
    // Learned: 1 ms a span, so two batches of 4 (8 ms) make a group, three would pass 10 ms.
    expect(commits).toEqual([40, 8, 8, 8, 8, 8, 30, 4]);
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [undefined, 1],
    [3, 3],
  ])(
    "keeps as many groups in flight as the store commits at once (%s → %i)",
    async (concurrentWrites, most) => {
      let inFlight = 0;
      let peak = 0;
      const waiting: (() => void)[] = [];
      const store = {
        concurrentWrites,
        ingest: async (spans: readonly SpanRecord[]) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise<void>((resolve) => waiting.push(resolve));
          inFlight--;
          return { stored: spans.length, runIds: [], unstored: [] };
        },
      } as unknown as SqliteStore;
      // Groups of one batch each, so that every batch is a transaction of its own.
      const queue = new WriteQueue({ store, maxQueuedSpans: 100, maxGroupSpans: 1 });
      const acks = Array.from({ length: 6 }, (_, i) => queue.submit([record(i)]));
      while (acks.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        for (const release of waiting.splice(0)) release();
        if (inFlight === 0 && queue.depth === 0) break;
      }
      await Promise.all(acks);
      expect(peak).toBe(most);
      await queue.close();
    },
  );
});
