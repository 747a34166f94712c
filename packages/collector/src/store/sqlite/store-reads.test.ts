import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import type { SpanRecord } from "../../domain.js";
import { StoreBusyError } from "../store.js";
import { SqliteStore } from "./sqlite-store.js";
import { statsStatements } from "./stats.js";

const T0 = 1_763_900_000_000_000_000n; // 2025-11-23T12:13:20Z
const MS = 1_000_000n;
const RANGE = { from: "2025-11-23T00:00:00.000Z", to: "2025-11-24T00:00:00.000Z", bucket: "hour" as const };

/** A run of `calls` spans of one kind, the n-th lasting durations[n] ms (null: still open). */
function runOf(runId: string, calls: Partial<SpanRecord>[], durations: (number | null)[]): SpanRecord[] {
  // IDs of the run's own: its name in hex.
  const hex = Buffer.from(runId).toString("hex").padEnd(14, "0").slice(0, 14);
  const traceId = hex.padEnd(32, "0");
  const root = spanRecord({
    traceId,
    spanId: `${hex}ff`,
    runId,
    kind: "run",
    name: "invoke_agent a",
    startNs: T0,
  });
  return [
    root,
    ...durations.map((ms, i) =>
      spanRecord({
        traceId,
        spanId: `${hex}${(i + 1).toString(16).padStart(2, "0")}`,
        parentSpanId: root.spanId,
        runId,
        startNs: T0 + BigInt(i) * MS,
        endNs: ms === null ? null : T0 + BigInt(i) * MS + BigInt(ms) * MS,
        ...calls[i % calls.length],
      }),
    ),
  ];
}

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

  it("returns each attempt's resource on its run span, and none on other spans", async () => {
    const [root, call] = runOf("env-run", [{ kind: "llm" }], [5]);
    const second = spanRecord({ ...root, spanId: "aaaaaaaaaaaaaaaa", attempt: 2, startNs: T0 + 1000n * MS });
    await store.ingest([
      { ...root!, resource: '{"host.name":"laptop"}' },
      call!,
      { ...second, resource: '{"host.name":"worker-7"}' },
    ]);
    const detail = await store.getRun("env-run");
    const resources = detail!.spans.map((s) => [s.attempt, s.kind, s.resource]);
    expect(resources).toEqual([
      [1, "run", '{"host.name":"laptop"}'],
      [1, "llm", null],
      [2, "run", '{"host.name":"worker-7"}'],
    ]);
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

  it("gives nearest-rank percentiles: the ⌈p·n⌉-th smallest duration, open calls left out", async () => {
    const llm = { kind: "llm" as const, model: "gpt-4o", inputTokens: 10, outputTokens: 1, costUsd: 0.25 };
    await store.ingest(runOf("run-a", [llm], [100, 20, 90, 30, 80, 40, 70, 50, 60, 10, null]));
    await store.ingest(runOf("run-b", [{ ...llm, model: null }], [10, 20, 30]));
    const { byModel, series } = await store.stats(RANGE);
    expect(byModel).toEqual([
      {
        model: "gpt-4o",
        calls: 11,
        input_tokens: 110,
        output_tokens: 11,
        cost_usd: 2.75,
        p50_ms: 50,
        p95_ms: 100,
      },
      {
        model: "(unknown)",
        calls: 3,
        input_tokens: 30,
        output_tokens: 3,
        cost_usd: 0.75,
        p50_ms: 20,
        p95_ms: 30,
      },
    ]);
    expect(series).toEqual([
      {
        bucket: "2025-11-23T12:00:00Z",
        runs: 2,
        errors: 0,
        input_tokens: 140,
        output_tokens: 14,
        cost_usd: 3.5,
      },
    ]);
  });

  it("names tools as the tool_calls view does, even when a span's attributes are not JSON", async () => {
    const tool = (name: string, attributes: string, status: "ok" | "error" = "ok") => ({
      kind: "tool" as const,
      name,
      attributes,
      status,
    });
    await store.ingest(
      runOf(
        "run-t",
        [
          tool("execute_tool", '{"gen_ai.tool.name":"send_email"}'),
          tool("execute_tool", '{"gen_ai.tool.name":"send_email"}', "error"),
          tool("search", "{}"),
          tool("fetch", "not json"),
        ],
        [10, 20, 30, 40],
      ),
    );
    expect((await store.stats(RANGE)).byTool).toEqual([
      { tool: "send_email", calls: 2, errors: 1, p50_ms: 10, p95_ms: 20 },
      { tool: "fetch", calls: 1, errors: 0, p50_ms: 40, p95_ms: 40 },
      { tool: "search", calls: 1, errors: 0, p50_ms: 30, p95_ms: 30 },
    ]);
    expect(store.db.prepare("SELECT tool FROM tool_calls ORDER BY started_at").pluck().all()).toEqual([
      "send_email",
      "send_email",
      "search",
      "fetch",
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
