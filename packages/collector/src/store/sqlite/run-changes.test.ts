import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { SqliteStore } from "./sqlite-store.js";

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flightrec-run-changes-"));
  store = SqliteStore.open(join(dir, "store.db"));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const runSpan = (runId: string, spanId: string, status: "running" | "ok") =>
  spanRecord({
    traceId: `${spanId}${spanId}`,
    spanId,
    runId,
    kind: "run",
    name: "agent",
    status,
    endNs: status === "running" ? null : 2_000_000n,
    pending: status === "running",
  });

describe("SqliteStore run changes", () => {
  it("tells listeners which runs an ingest changed, once it is committed and readable", async () => {
    const heard: { ids: string[]; status: string | undefined }[] = [];
    store.onRunsChanged((ids) => {
      // Read on the writer's connection: what a listener is told must already be there.
      const row = store.db.prepare("SELECT status FROM runs WHERE run_id = ?").get(ids[0]) as
        | { status: string }
        | undefined;
      heard.push({ ids: [...ids], status: row?.status });
    });
    await store.ingest([
      runSpan("run-a", "aaaaaaaaaaaaaaaa", "ok"),
      runSpan("run-b", "bbbbbbbbbbbbbbbb", "ok"),
    ]);
    expect(heard).toEqual([{ ids: ["run-a", "run-b"], status: "ok" }]);
  });

  it("tells listeners of a verdict, and nothing after they unsubscribed", async () => {
    await store.ingest([runSpan("run-k", "cccccccccccccccc", "running")]);
    const heard: string[][] = [];
    const stop = store.onRunsChanged((ids) => heard.push([...ids]));
    await store.durability.interrupt({
      runId: "run-k",
      attempt: 1,
      reason: "no heartbeat",
      rootInput: null,
      step: undefined,
      now: new Date(),
    });
    stop();
    await store.ingest([runSpan("run-k", "cccccccccccccccc", "ok")]);
    expect(heard).toEqual([["run-k"]]);
    expect((await store.getRun("run-k"))!.run.status).toBe("ok");
  });

  it("says nothing when a commit changed no run", async () => {
    let calls = 0;
    store.onRunsChanged(() => calls++);
    await store.ingest([spanRecord({ traceId: "d".repeat(32), spanId: "d".repeat(16), name: "GET /" })]);
    expect(calls).toBe(0);
  });
});
