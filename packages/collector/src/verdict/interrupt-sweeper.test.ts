import { describe, expect, it } from "vitest";
import type { OpenAttempt } from "../store/sqlite/durability-queries.js";
import { verdict } from "./interrupt-sweeper.js";

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
