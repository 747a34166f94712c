import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../domain.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { QueueFullError, WriteQueue } from "./write-queue.js";

const record = (i: number): SpanRecord => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: i.toString(16).padStart(16, "0"),
  parentSpanId: null,
  runId: "r",
  runName: null,
  requestId: null,
  service: null,
  attempt: 1,
  kind: "other",
  name: "s",
  status: "ok",
  errorMessage: null,
  startNs: 1n,
  endNs: 2n,
  stepIndex: null,
  model: null,
  provider: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  input: null,
  output: null,
  attributes: "{}",
  pending: false,
  decisions: [],
  failure: null,
});

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
});
