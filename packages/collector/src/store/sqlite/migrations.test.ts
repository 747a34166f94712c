import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { spanKey, startTimeKeyHigh } from "../span-key.js";
import { MIGRATIONS } from "./migrations.js";
import { SqliteStore } from "./sqlite-store.js";

const RUN_TRACE = "0af7651916cd43dd8448eb211c80319c";
const PLAIN_TRACE = "ffffffffffffffffffffffffffffffff";
const OLD_PLAIN_TRACE = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const T0 = 1_763_900_000_000_000_000n;
const recentNs = BigInt(Date.now() - 60_000) * 1_000_000n;

/** A store as the collector wrote it before the `traces` table: keys from start times, trace_runs. */
function storeBeforeTraces(path: string): void {
  const db = new Database(path);
  for (const sql of MIGRATIONS.slice(0, 2)) db.exec(sql);
  db.pragma("user_version = 2");
  const insertSpan = db.prepare(
    `INSERT INTO spans (span_key, trace_id, span_id, run_id, kind, name, status, started_at, start_ns, end_ns,
                        input_tokens, attributes)
     VALUES (?, ?, ?, ?, ?, 'span', 'ok', '2025-11-23T12:13:20.000Z', ?, ?, ?, '{}')`,
  );
  const legacy = (traceId: string, spanId: string, runId: string | null, kind: string, startNs: bigint) =>
    insertSpan.run(
      spanKey(startTimeKeyHigh(startNs), spanId),
      traceId,
      spanId,
      runId,
      kind,
      startNs,
      startNs + 1_000_000n,
      kind === "llm" ? 100 : null,
    );
  legacy(RUN_TRACE, "aaaaaaaaaaaaaaaa", "task-1", "run", T0);
  legacy(RUN_TRACE, "2222222222222222", "task-1", "llm", T0 + 5_000_000n);
  legacy(PLAIN_TRACE, "3333333333333333", null, "other", recentNs);
  legacy(OLD_PLAIN_TRACE, "4444444444444444", null, "other", T0);
  db.prepare("INSERT INTO trace_runs (trace_id, run_id) VALUES (?, 'task-1')").run(RUN_TRACE);
  db.prepare(
    `INSERT INTO runs (run_id, status, started_at, steps, input_tokens, trace_id, start_ns, last_ns, updated_at)
     VALUES ('task-1', 'running', '2025-11-23T12:13:20.000Z', 0, 100, ?, ?, ?, '2025-11-23T12:13:20.000Z')`,
  ).run(RUN_TRACE, T0, T0 + 6_000_000n);
  db.close();
}

describe("migration 4: the traces table", () => {
  let dir: string;
  let store: SqliteStore;
  const q = (sql: string) => store.db.prepare(sql).all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-migrate-"));
    storeBeforeTraces(join(dir, "store.db"));
    store = SqliteStore.open(join(dir, "store.db"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the rows stored before it readable, and their traces' spans on start-time keys", async () => {
    expect(q("PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
    expect(q("SELECT trace_id, key_base, run_id FROM traces ORDER BY trace_id")).toEqual([
      { trace_id: RUN_TRACE, key_base: null, run_id: "task-1" },
      { trace_id: PLAIN_TRACE, key_base: null, run_id: null },
    ]);
    expect((await store.getRun("task-1"))!.spans.map((s) => s.span_id)).toEqual([
      "aaaaaaaaaaaaaaaa",
      "2222222222222222",
    ]);
    // Retried copies of spans stored before the upgrade find their rows; a new span of such a
    // trace joins its run.
    const span = (spanId: string, traceId: string, startNs: bigint, kind: "llm" | "other") =>
      spanRecord({ traceId, spanId, startNs, endNs: startNs + 1_000_000n, kind, inputTokens: 100 });
    await store.ingest([
      span("2222222222222222", RUN_TRACE, T0 + 5_000_000n, "llm"),
      span("3333333333333333", PLAIN_TRACE, recentNs, "other"),
      span("5555555555555555", RUN_TRACE, T0 + 7_000_000n, "llm"),
    ]);
    expect(q("SELECT trace_id, span_id, run_id FROM spans ORDER BY trace_id, span_id")).toEqual([
      { trace_id: RUN_TRACE, span_id: "2222222222222222", run_id: "task-1" },
      { trace_id: RUN_TRACE, span_id: "5555555555555555", run_id: "task-1" },
      { trace_id: RUN_TRACE, span_id: "aaaaaaaaaaaaaaaa", run_id: "task-1" },
      { trace_id: OLD_PLAIN_TRACE, span_id: "4444444444444444", run_id: null },
      { trace_id: PLAIN_TRACE, span_id: "3333333333333333", run_id: null },
    ]);
    expect(q("SELECT input_tokens FROM runs")).toEqual([{ input_tokens: 200 }]);
    expect(q("SELECT span_key >> 22 AS high FROM spans WHERE span_id = '5555555555555555'")).toEqual([
      { high: Number((T0 + 7_000_000n) / 1_000_000n) },
    ]);
  });

  it("gives new traces key bases after every key stored before", async () => {
    const maxKey = store.db.prepare("SELECT max(span_key) FROM spans").pluck().safeIntegers().get() as bigint;
    await store.ingest([spanRecord({ traceId: "1".repeat(32), startNs: 1n, endNs: 2n })]);
    const [row] = store.db
      .prepare("SELECT key_base FROM traces WHERE trace_id = ?")
      .safeIntegers()
      .all("1".repeat(32)) as { key_base: bigint }[];
    expect(row!.key_base).toBe((maxKey >> 22n) + 1n);
  });
});
