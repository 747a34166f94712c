import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrivalBatches, arrivalCuts } from "../../../test/arrival-batches.js";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";

// A trace no run claims is a run of its own (GenAI spans of other instrumentations): run ID = trace ID.
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = 1_763_900_000_000_000_000n;
const ms = (n: number) => T0 + BigInt(n) * 1_000_000n;

const root = spanRecord({
  traceId: TRACE,
  spanId: "a000000000000000",
  kind: "run",
  name: "workflow",
  startNs: ms(0),
  endNs: ms(100),
});
/** A Traceloop-style task: a step whose source gives no index. */
const task = (id: string, name: string, start: number, end: number, parent = root.spanId): SpanRecord =>
  spanRecord({
    traceId: TRACE,
    spanId: id,
    parentSpanId: parent,
    kind: "step",
    name,
    startNs: ms(start),
    endNs: ms(end),
  });

describe.each(STORE_KINDS)("steps without a declared index (%s store)", (kind) => {
  const current = useStore(kind);
  const q = (sql: string) => current().query(sql);
  const steps = () => q("SELECT name, step_index FROM spans WHERE kind = 'step' ORDER BY step_index, name");

  it("are numbered by start time, and the run counts them and knows its current one", async () => {
    await current().store.ingest([task("b000000000000001", "fetch", 1, 10)]);
    await current().store.ingest([
      task("b000000000000002", "clean", 11, 20),
      task("b000000000000003", "analyze", 21, 30),
    ]);
    expect(await steps()).toEqual([
      { name: "fetch", step_index: 1 },
      { name: "clean", step_index: 2 },
      { name: "analyze", step_index: 3 },
    ]);
    expect(await q("SELECT steps, current_step, current_step_name FROM runs")).toEqual([
      { steps: 3, current_step: 3, current_step_name: "analyze" },
    ]);
  });

  it("move up when an earlier step arrives later (an outer task ends after the ones inside it)", async () => {
    const failed = { status: "error" as const, errorMessage: "bad row" };
    const failure = {
      step: null,
      errorType: "Error",
      message: "bad row",
      stack: null,
      input: null,
      context: null,
      tsNs: ms(10),
    };
    await current().store.ingest([
      { ...task("b000000000000002", "inner", 5, 10, "b000000000000001"), ...failed, failure },
    ]);
    await current().store.ingest([task("b000000000000003", "last", 20, 30)]);
    await current().store.ingest([task("b000000000000001", "outer", 1, 15), root]);
    expect(await steps()).toEqual([
      { name: "outer", step_index: 1 },
      { name: "inner", step_index: 2 },
      { name: "last", step_index: 3 },
    ]);
    expect(await q("SELECT steps, current_step, current_step_name, status FROM runs")).toEqual([
      { steps: 3, current_step: 3, current_step_name: "last", status: "ok" },
    ]);
    expect(await q("SELECT step, name FROM failures")).toEqual([{ step: 2, name: "inner" }]);
  });

  it("keep their number when their finished span replaces the placeholder, and put it on their failure", async () => {
    await current().store.ingest([task("b000000000000001", "fetch", 1, 10)]);
    const open = { pending: true, status: "running" as const, endNs: null };
    await current().store.ingest([{ ...task("b000000000000002", "send_email", 11, 0), ...open }]);
    await current().store.ingest([
      task("b000000000000003", "later", 40, 50),
      {
        ...task("b000000000000002", "send_email", 11, 30),
        status: "error",
        errorMessage: "SMTP refused",
        failure: {
          step: null,
          errorType: "Error",
          message: "SMTP refused",
          stack: null,
          input: '{"to":"a@b"}',
          context: null,
          tsNs: ms(30),
        },
      },
    ]);
    expect(await steps()).toEqual([
      { name: "fetch", step_index: 1 },
      { name: "send_email", step_index: 2 },
      { name: "later", step_index: 3 },
    ]);
    expect(await q("SELECT step, name FROM failures")).toEqual([{ step: 2, name: "send_email" }]);
    expect(await q("SELECT steps FROM runs")).toEqual([{ steps: 3 }]);
  });

  it("never move a step whose index the source declared", async () => {
    await current().store.ingest([{ ...task("b000000000000002", "declared", 5, 10), stepIndex: 7 }]);
    await current().store.ingest([task("b000000000000001", "first", 1, 4)]);
    expect(await steps()).toEqual([
      { name: "first", step_index: 1 },
      { name: "declared", step_index: 7 },
    ]);
  });

  it("come out the same whatever order and batches the spans arrive in", async () => {
    const all = [
      root,
      ...Array.from({ length: 6 }, (_, i) => task(`c00000000000000${i}`, `s${i}`, i * 10 + 1, i * 10 + 9)),
    ];
    const batches = arrivalCuts(all.length, 3);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(all, { minLength: all.length }), batches, async (order, cut) => {
        await current().reset();
        for (const batch of arrivalBatches(order, cut)) await current().store.ingest(batch);
        expect(await steps()).toEqual(all.slice(1).map((s, i) => ({ name: s.name, step_index: i + 1 })));
        expect(await q("SELECT steps, current_step_name FROM runs")).toEqual([
          { steps: 6, current_step_name: "s5" },
        ]);
      }),
      { numRuns: 25 },
    );
  });
});
