import { deliveryStats, init, run, shutdown, step } from "@flightrec/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

const RUNS = 50;
const STEPS = 2;

/**
 * The usual shape of an agent server: many runs at once in one process, each of a few short
 * steps whose checkpoints are waited for, and one run that throws.
 */
describe("SDK with many concurrent runs → collector", () => {
  let collector: TestCollector;
  let warnings: string[];
  let stats: ReturnType<typeof deliveryStats>;

  beforeAll(async () => {
    collector = await startTestCollector();
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(args.map(String).join(" "));
    });
    warnings = [];
    init({ serviceName: "agent-server", endpoint: collector.server.url, handleProcessEvents: false });
    const runs = Array.from({ length: RUNS }, (_, r) =>
      run("serve_request", { runId: `concurrent-${r}`, input: { r } }, async () => {
        for (let s = 1; s <= STEPS; s++) await step(`step_${s}`, async () => ({ r, s }));
        return r;
      }),
    );
    const failing = run("serve_request", { runId: "concurrent-throws" }, async () => {
      await step("step_1", async () => 1);
      throw new Error("the model refused");
    });
    await Promise.all([...runs, failing.catch(() => {})]);
    await shutdown();
    stats = deliveryStats();
    warn.mockRestore();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it("stores every run, finished", () => {
    const runs = collector.query<{ run_id: string; status: string }>(
      "SELECT run_id, status FROM runs WHERE run_id LIKE 'concurrent-%' AND run_id <> 'concurrent-throws'",
    );
    expect(runs).toHaveLength(RUNS);
    expect(runs.filter((r) => r.status !== "ok")).toEqual([]);
  });

  it("stores every step with its output", () => {
    const [row] = collector.query<{ n: number }>(
      `SELECT count(*) AS n FROM spans
       WHERE kind = 'step' AND status = 'ok' AND output IS NOT NULL AND run_id LIKE 'concurrent-%'`,
    );
    expect(row?.n).toBe(RUNS * STEPS + 1);
  });

  it("stores the run that threw as error, with its message", () => {
    const [failed] = collector.query<{ status: string; error: string }>(
      "SELECT status, error FROM runs WHERE run_id = 'concurrent-throws'",
    );
    expect(failed).toMatchObject({ status: "error" });
    expect(failed?.error).toContain("the model refused");
  });

  it("leaves no span pending in the store", () => {
    const [row] = collector.query<{ n: number }>(
      "SELECT count(*) AS n FROM spans WHERE status = 'running' AND run_id LIKE 'concurrent-%'",
    );
    expect(row?.n).toBe(0);
  });

  it("reports no loss: nothing failed or dropped, no warning", () => {
    expect(stats).toMatchObject({ failed: 0, dropped: 0 });
    expect(stats.sent).toBeGreaterThanOrEqual(RUNS * (STEPS + 1) + 2);
    expect(warnings.filter((w) => w.includes("[flightrec]"))).toEqual([]);
  });
});
