import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RANGE, runOf } from "../../../test/run-spans.js";
import { StoreBusyError } from "../store.js";
import { SqliteStore } from "./sqlite-store.js";
import { statsStatements } from "./stats.js";

describe("SqliteStore reads", () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-reads-"));
    store = SqliteStore.open(join(dir, "store.db"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs stats off the thread that commits: a batch sent after a stats call commits before its answer", async () => {
    await store.ingest(runOf("run-a", [{ kind: "llm", model: "gpt-4o" }], [10, 20, 30]));
    const order: string[] = [];
    // Computed on this thread, stats would finish before ingest could even start.
    const report = store.stats(RANGE).then(() => order.push("stats"));
    await store
      .ingest(runOf("run-b", [{ kind: "llm", model: "gpt-4o" }], [40]))
      .then(() => order.push("ingest"));
    await report;
    expect(order).toEqual(["ingest", "stats"]);
  });

  it("answers reads from read threads that see every acknowledged commit", async () => {
    for (let i = 0; i < 5; i++) {
      await store.ingest(runOf(`run-${i}`, [{ kind: "step", name: "fetch" }], [5]));
      expect((await store.getRun(`run-${i}`))?.spans).toHaveLength(2);
    }
    expect((await store.listRuns({ sort: "started_at", order: "desc", limit: 10 })).runs).toHaveLength(5);
    expect((await store.getRuns(["run-1", "run-3", "nope"])).map((r) => r.run_id).sort()).toEqual([
      "run-1",
      "run-3",
    ]);
  });

  it("keeps a script alive while a read thread answers it, and lets it end once answered", async () => {
    await store.ingest(runOf("run-s", [{ kind: "step", name: "fetch" }], [5]));
    const script = join(dir, "read.mts");
    writeFileSync(
      script,
      `import { SqliteStore } from ${JSON.stringify(fileURLToPath(new URL("./sqlite-store.ts", import.meta.url)))};
       const store = SqliteStore.open(${JSON.stringify(join(dir, "store.db"))});
       console.log(JSON.stringify((await store.getRun("run-s"))?.spans.length));
       await store.close();`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe("2");
  });

  it("reads stats from indexes, never from span rows", () => {
    const plans = statsPlans(store);
    expect(plans.join("\n")).not.toMatch(/SCAN (spans|runs)\b/);
    expect(plans[0]).toMatch(/SEARCH runs USING COVERING INDEX runs_by_started/);
    expect(plans[1]).toMatch(/SEARCH spans USING COVERING INDEX spans_llm_by_run/);
    expect(plans[2]).toMatch(/SEARCH spans USING (COVERING )?INDEX spans_tool_by_run/);
  });

  it("shares one answer among identical stats asked at once, and refuses stats beyond its waiting line", async () => {
    const shared = store.stats(RANGE);
    expect(store.stats(RANGE)).toBe(shared);
    // The line holds 16: the shared one and 15 of these.
    const day = (i: number) => ({
      ...RANGE,
      from: `2025-10-${String(i + 1).padStart(2, "0")}T00:00:00.000Z`,
    });
    const asked = Array.from({ length: 16 }, (_, i) =>
      store.stats(day(i)).then(
        () => "answered",
        (error: unknown) => (error instanceof StoreBusyError ? "refused" : String(error)),
      ),
    );
    const results = await Promise.all(asked);
    await shared;
    expect(results.filter((r) => r === "refused")).toHaveLength(1);
    expect(results.filter((r) => r === "answered")).toHaveLength(15);
  });
});

/** The query plans of the three stats statements on this store. */
function statsPlans(store: SqliteStore): string[] {
  return statsStatements("day").map((sql) =>
    (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ from: "a", to: "b" }) as { detail: string }[])
      .map((row) => row.detail)
      .join(" | "),
  );
}
