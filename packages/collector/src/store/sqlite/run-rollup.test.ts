import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { addToDelta, emptyDelta, type RunDeltaParams } from "../run-delta.js";
import { nsToIso } from "../time.js";
import { migrate } from "./migrations.js";
import { ROLLUP_RUN_SQL, RunRollup } from "./run-rollup.js";

const BASE = 1_763_900_000_000_000_000n;

/** Deltas as SpanWriter makes them: a few runs, attempts 1–3, optional names, usage, errors. */
const delta = fc
  .record({
    run: fc.constantFrom("r1", "r2"),
    attempt: fc.integer({ min: 1, max: 3 }),
    startMs: fc.integer({ min: 0, max: 1000 }),
    lengthMs: fc.integer({ min: 0, max: 1000 }),
    name: fc.option(fc.constantFrom("demo", "other"), { nil: null }),
    service: fc.option(fc.constant("svc"), { nil: null }),
    requestId: fc.option(fc.constantFrom("req-1", "req-2"), { nil: null }),
    root: fc.option(fc.constantFrom("running", "ok", "error"), { nil: null }),
    newSteps: fc.integer({ min: 0, max: 2 }),
    step: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
    error: fc.option(fc.constant("boom"), { nil: null }),
    tokens: fc.option(fc.integer({ min: -50, max: 200 }), { nil: null }),
    cost: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  })
  .map(({ run, attempt, startMs, lengthMs, root, step, tokens, cost, ...d }): RunDeltaParams => {
    const start = BASE + BigInt(startMs) * 1_000_000n;
    const last = start + BigInt(lengthMs) * 1_000_000n;
    const finished = root === "ok" || root === "error";
    return {
      run_id: run,
      trace_id: `trace-${run}`,
      name: d.name,
      service: d.service,
      request_id: d.requestId,
      attempt,
      start_ns: start,
      started_at: nsToIso(start),
      last_ns: last,
      root_status: root,
      ended_at: finished ? nsToIso(last) : null,
      finished: finished ? 1 : 0,
      new_steps: d.newSteps,
      current_step: step,
      current_step_name: step === null ? null : `step_${step}`,
      error: root === "error" ? (d.error ?? "failed") : d.error,
      input_tokens: tokens,
      output_tokens: tokens === null ? null : tokens + 1,
      cost_usd: cost,
      now: "2026-12-04T00:00:00.000Z",
    };
  });

function database(): Database.Database {
  const db = new Database(":memory:");
  migrate(db);
  return db;
}

const runs = (db: Database.Database) =>
  db.prepare("SELECT * FROM runs ORDER BY run_id").safeIntegers(true).all();

describe("RunRollup", () => {
  it("leaves every runs row as the wide upsert alone would", () => {
    fc.assert(
      fc.property(fc.array(delta, { minLength: 1, maxLength: 30 }), (deltas) => {
        const wide = database();
        const narrow = database();
        const upsert = wide.prepare(ROLLUP_RUN_SQL);
        const rollup = new RunRollup(narrow);
        for (const params of deltas) {
          upsert.run(params);
          rollup.merge(params);
        }
        expect(runs(narrow)).toEqual(runs(wide));
        wide.close();
        narrow.close();
      }),
      { numRuns: 300 },
    );
  });

  it("takes the narrow path for a delta that only advances a running run", () => {
    const db = database();
    const rollup = new RunRollup(db);
    const first = fc.sample(delta, { numRuns: 1, seed: 1 })[0]!;
    const opening: RunDeltaParams = {
      ...first,
      root_status: "running",
      finished: 0,
      ended_at: null,
      error: null,
    };
    rollup.merge({
      ...opening,
      name: "demo",
      request_id: "req-1",
      current_step: 1,
      current_step_name: "fetch",
    });
    // A trigger counts wide upserts: the narrow path is an UPDATE, never an INSERT … ON CONFLICT.
    db.exec(`CREATE TEMP TABLE upserts (n INTEGER); INSERT INTO upserts VALUES (0);
             CREATE TEMP TRIGGER count_upserts BEFORE INSERT ON main.runs BEGIN UPDATE upserts SET n = n + 1; END;`);
    rollup.merge({
      ...opening,
      name: null,
      request_id: null,
      current_step: 2,
      current_step_name: "clean",
      new_steps: 1,
    });
    expect(db.prepare("SELECT n FROM upserts").pluck().get()).toBe(0);
    expect(db.prepare("SELECT current_step_name, steps FROM runs").get()).toEqual({
      current_step_name: "clean",
      steps: opening.new_steps + 1,
    });
    db.close();
  });
});

describe("a run's name", () => {
  const trace = "0af7651916cd43dd8448eb211c80319c";
  // A Vercel AI SDK call (a run of its own kind, functionId on every span) and a Traceloop task.
  const vercelCall = spanRecord({
    traceId: trace,
    kind: "run",
    name: "ai.generateText",
    runName: "forecast",
  });
  const task = spanRecord({ traceId: trace, kind: "step", name: "research", runName: "trip-planner" });

  it("comes from a framework's spans where the trace is that framework's run", () => {
    const d = emptyDelta(trace, task);
    addToDelta(d, task, undefined, false);
    expect(d.name).toBe("trip-planner");
  });

  it("does not come from a framework called inside one of our runs", () => {
    const d = emptyDelta("task-123", vercelCall);
    addToDelta(d, vercelCall, undefined, false);
    expect(d.name).toBeNull();
    const ours = spanRecord({ traceId: trace, runId: "task-123", kind: "run", runName: "analyze" });
    addToDelta(d, ours, undefined, true);
    expect(d.name).toBe("analyze");
  });
});
