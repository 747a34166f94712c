import * as C from "@flightrec/sdk/conventions";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrivalBatches, arrivalCuts } from "../../../test/arrival-batches.js";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";

// A framework's trace: no run ID of ours, so the trace is the run (run ID = trace ID).
const TRACE = "7a3c0ffee0dd1e5f7a3c0ffee0dd1e5f";
const T0 = 1_763_900_000_000_000_000n;
const ms = (n: number) => T0 + BigInt(n) * 1_000_000n;
const id = (n: number) => n.toString(16).padStart(16, "0");
const at = (start: number, end: number | null) => ({
  traceId: TRACE,
  startNs: ms(start),
  endNs: end === null ? null : ms(end),
});
const open = { status: "running", endNs: null, pending: true } as const;

const run = spanRecord({ ...at(0, 100), spanId: id(1), kind: "run", name: "invoke_agent gpt-4o-mini" });
/** An agent loop's step as its source sends it: named by number, its model call inside it. */
const step = (n: number, start: number, end: number, extra: Partial<SpanRecord> = {}) =>
  spanRecord({
    ...at(start, end),
    spanId: id(0x10 + n),
    parentSpanId: run.spanId,
    kind: "step",
    name: `step ${n}`,
    stepIndex: n,
    namedByCall: true,
    attributes: JSON.stringify({ "gen_ai.operation.name": "agent_step", [C.ATTR_STEP_NAMED_BY_CALL]: true }),
    ...extra,
  });
/** The step's model call, with the step name what it decided implies. */
const chat = (n: number, start: number, end: number, decided: string) =>
  spanRecord({
    ...at(start, end),
    spanId: id(0x20 + n),
    parentSpanId: id(0x10 + n),
    kind: "llm",
    name: "chat gpt-4o-mini",
    decidedStep: decided,
    attributes: JSON.stringify({ "gen_ai.operation.name": "chat", [C.ATTR_STEP_DECIDED]: decided }),
  });
const tool = (n: number, start: number, end: number) =>
  spanRecord({
    ...at(start, end),
    spanId: id(0x30 + n),
    parentSpanId: id(0x10 + n),
    kind: "tool",
    name: "weather",
  });

const loop = [
  run,
  step(1, 1, 40),
  chat(1, 2, 10, "weather"),
  tool(1, 11, 39),
  step(2, 41, 99),
  chat(2, 42, 98, "answer"),
];

describe.each(STORE_KINDS)("steps named by what their model call decided (%s store)", (kind) => {
  const current = useStore(kind);
  const ingest = (...spans: SpanRecord[]) => current().store.ingest(spans);
  const steps = async () =>
    current().query("SELECT step_index, name FROM spans WHERE kind = 'step' ORDER BY step_index");
  const runRow = async () =>
    (
      await current().query(
        "SELECT status, current_step, current_step_name FROM runs WHERE run_id = ?",
        TRACE,
      )
    )[0];
  const named = [
    { step_index: 1, name: "weather" },
    { step_index: 2, name: "answer" },
  ];

  it("take the name when the model call arrives first, as it usually ends first", async () => {
    await ingest(run, chat(1, 2, 10, "weather"), tool(1, 11, 39));
    await ingest(step(1, 1, 40));
    await ingest(chat(2, 42, 98, "answer"));
    await ingest(step(2, 41, 99));
    expect(await steps()).toEqual(named);
    expect(await runRow()).toEqual({ status: "ok", current_step: 2, current_step_name: "answer" });
  });

  it("take the name when the step arrives first, and the run's current step follows", async () => {
    await ingest(run, step(1, 1, 40), step(2, 41, 99));
    expect(await runRow()).toMatchObject({ current_step: 2, current_step_name: "step 2" });
    await ingest(chat(1, 2, 10, "weather"));
    await ingest(chat(2, 42, 98, "answer"));
    expect(await steps()).toEqual(named);
    expect(await runRow()).toMatchObject({ current_step: 2, current_step_name: "answer" });
  });

  it("take the name when step and call come in one batch, in either order", async () => {
    await ingest(step(1, 1, 40), chat(1, 2, 10, "weather"));
    await ingest(chat(2, 42, 98, "answer"), step(2, 41, 99));
    expect(await steps()).toEqual(named);
    expect(await runRow()).toMatchObject({ current_step: 2, current_step_name: "answer" });
  });

  it("keep the name when a copy of the step named by its number is sent again", async () => {
    await ingest(step(2, 41, 99, open));
    await ingest(chat(2, 42, 98, "answer"));
    expect(await runRow()).toMatchObject({ current_step: 2, current_step_name: "answer" });
    await ingest(step(2, 41, 99));
    await ingest(step(2, 41, 99));
    await ingest(chat(2, 42, 98, "answer"));
    expect(await steps()).toEqual([{ step_index: 2, name: "answer" }]);
    expect(await runRow()).toMatchObject({ current_step: 2, current_step_name: "answer" });
  });

  it("name a failed step's failure too", async () => {
    const failed = step(1, 1, 40, {
      status: "error",
      errorMessage: "boom",
      failure: {
        step: 1,
        errorType: "Error",
        message: "boom",
        stack: null,
        input: null,
        context: null,
        tsNs: ms(40),
      },
    });
    await ingest(failed);
    await ingest(chat(1, 2, 10, "weather"));
    expect(await current().query("SELECT step, kind, name FROM failures")).toEqual([
      { step: 1, kind: "step", name: "weather" },
    ]);
  });

  it("leave steps whose name came from their source, and steps whose call decided nothing", async () => {
    const planning = step(1, 1, 40, { name: "planning", namedByCall: false, attributes: "{}" });
    await ingest(planning, chat(1, 2, 10, "weather"));
    await ingest(step(2, 41, 99), { ...chat(2, 42, 98, "answer"), decidedStep: undefined, attributes: "{}" });
    expect(await steps()).toEqual([
      { step_index: 1, name: "planning" },
      { step_index: 2, name: "step 2" },
    ]);
  });

  it("come out the same whatever order and batches the spans arrive in", async () => {
    const batches = arrivalCuts(loop.length, 2);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(loop, { minLength: loop.length }), batches, async (order, cut) => {
        await current().reset();
        for (const batch of arrivalBatches(order, cut)) await current().store.ingest(batch);
        expect(await steps()).toEqual(named);
        expect(await runRow()).toEqual({ status: "ok", current_step: 2, current_step_name: "answer" });
      }),
      { numRuns: 20 },
    );
  });

  it("make a run killed in a step whose model call had decided read as stopped at that step, by its name", async () => {
    await ingest({ ...run, ...open }, step(1, 1, 40), chat(1, 2, 10, "weather"), tool(1, 11, 39));
    await ingest(step(2, 41, 99, open));
    await ingest(chat(2, 42, 60, "weather"));
    const queries = current().store.durability;
    await queries.interrupt({
      runId: TRACE,
      attempt: 1,
      reason: "no heartbeat",
      rootInput: null,
      step: await queries.inFlightStep(TRACE, 1),
      now: new Date(),
    });
    expect(await runRow()).toEqual({ status: "interrupted", current_step: 2, current_step_name: "weather" });
    expect(
      await current().query("SELECT step, step_name FROM interruptions WHERE run_id = ?", TRACE),
    ).toEqual([{ step: 2, step_name: "weather" }]);
  });
});
