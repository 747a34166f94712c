import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { THREAD_START } from "../../test/patience.js";
import { spanRecord } from "../../test/span-record.js";
import { createLogger } from "../logger.js";
import type { OpenAttempt } from "../store/durability.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { startInterruptSweeper, verdict } from "./interrupt-sweeper.js";

const base: OpenAttempt = {
  run_id: "r",
  attempt: 1,
  run_status: "running",
  updated_at: "2026-01-01T00:00:10.000Z",
  trace_id: "t",
  span_id: "s",
  root_input: null,
  reason: null,
  interval_ms: 1_000,
  next_step_index: null,
  next_step_name: null,
};
const limits = { misses: 3, fallbackMs: 5_000, listeningSince: 0 };
const at = (iso: string) => new Date(iso);

describe("verdict", () => {
  it("keeps a run running until its heartbeat is older than misses × its interval", () => {
    expect(verdict(base, at("2026-01-01T00:00:13.000Z"), limits)).toBeUndefined();
    expect(verdict(base, at("2026-01-01T00:00:13.001Z"), limits)).toBe(
      "no heartbeat since 2026-01-01T00:00:10.000Z",
    );
  });

  it("uses the fallback interval for runs that declare none", () => {
    const other = { ...base, interval_ms: null };
    expect(verdict(other, at("2026-01-01T00:00:24.000Z"), limits)).toBeUndefined();
    expect(verdict(other, at("2026-01-01T00:00:25.001Z"), limits)).toMatch(/^no heartbeat since/);
  });

  it("caps a declared interval at an hour, so a run that declares 1e308 can still be judged", () => {
    const huge = { ...base, interval_ms: 1e308 };
    expect(verdict(huge, at("2026-01-01T03:00:10.000Z"), limits)).toBeUndefined();
    expect(verdict(huge, at("2026-01-01T03:00:10.001Z"), limits)).toMatch(/^no heartbeat since/);
  });

  it("does not blame the agent for silence while the collector itself was down", () => {
    const since = Date.parse("2026-01-01T00:01:00.000Z");
    expect(
      verdict(base, at("2026-01-01T00:01:02.000Z"), { ...limits, listeningSince: since }),
    ).toBeUndefined();
  });

  it("takes the reason the SDK gave at once, for open and for ended runs", () => {
    expect(verdict({ ...base, reason: "SIGTERM" }, at("2026-01-01T00:00:10.000Z"), limits)).toBe("SIGTERM");
    expect(
      verdict({ ...base, run_status: "error", reason: "deadline" }, at("2026-01-01T00:00:10.000Z"), limits),
    ).toBe("deadline");
  });

  it("leaves ended runs without a reason alone", () => {
    expect(verdict({ ...base, run_status: "error" }, at("2026-01-01T01:00:00.000Z"), limits)).toBeUndefined();
  });
});

describe("startInterruptSweeper", () => {
  it("reports passes that keep failing once, through the collector's logger: one JSON line with a time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-sweeper-"));
    const store = SqliteStore.open(join(dir, "store.db"), { readThreads: 0 });
    store.db.close(); // every pass now fails
    const lines: string[] = [];
    const sweeper = startInterruptSweeper({
      queries: store.durability,
      sweepIntervalMs: 10,
      logger: createLogger("info", (line) => lines.push(line) > 0),
    });
    try {
      // Passes go on failing; the failure is reported once.
      await vi.waitFor(() => expect(lines.length).toBeGreaterThan(0), THREAD_START);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        time: expect.any(String),
        level: "error",
        msg: "interrupt sweep failed",
      });
    } finally {
      sweeper.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts silence from the last time ingest refused a request, since heartbeats may have been refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-sweeper-"));
    const store = SqliteStore.open(join(dir, "store.db"));
    const started = Date.now();
    await store.ingest([
      spanRecord({
        runId: "busy-1",
        kind: "run",
        name: "invoke_agent busy",
        status: "running",
        pending: true,
        startNs: BigInt(started) * 1_000_000n,
        endNs: null,
      }),
    ]);
    let lastRefusal = 0;
    const sweeper = startInterruptSweeper({
      queries: store.durability,
      sweepIntervalMs: 60_000,
      defaultHeartbeatIntervalMs: 1_000,
      lastIngestRefusalAt: () => lastRefusal,
    });
    try {
      // Ingest answered 429 ten seconds in; five seconds later three 1 s heartbeats are not yet missed.
      lastRefusal = started + 10_000;
      expect(await sweeper.sweep(new Date(started + 12_000))).toEqual([]);
      expect(await sweeper.sweep(new Date(started + 14_000))).toEqual(["busy-1"]);
    } finally {
      sweeper.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
