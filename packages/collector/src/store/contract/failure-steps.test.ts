import { describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";

// A trace no run claims is a run of its own: run ID = trace ID.
const TRACE = "5cf92f3577b34da6a3ce929d0e0e4737";
const T0 = 1_763_900_000_000_000_000n;
const ms = (n: number) => T0 + BigInt(n) * 1_000_000n;

const span = (spanId: string, parentSpanId: string | null, fields: Partial<SpanRecord>): SpanRecord =>
  spanRecord({ traceId: TRACE, spanId, parentSpanId, startNs: ms(1), endNs: ms(2), ...fields });

const root = span("a000000000000000", null, { kind: "run", name: "agent", startNs: ms(0), endNs: ms(100) });
const generation = span("a000000000000001", root.spanId, { kind: "llm", name: "chat" });
/** Mastra's loop steps declare their index; a Traceloop task would not. */
const step = (id: string, index: number | null, start: number) =>
  span(id, generation.spanId, { kind: "step", name: `step ${index}`, stepIndex: index, startNs: ms(start) });
const failingTool = (id: string, parent: string, start: number): SpanRecord =>
  span(id, parent, {
    kind: "tool",
    name: "tool.execute flights",
    status: "error",
    errorMessage: "no flights",
    startNs: ms(start),
    failure: {
      step: null,
      errorType: "Error",
      message: "no flights",
      stack: null,
      input: null,
      context: null,
      tsNs: ms(start),
    },
  });

describe.each(STORE_KINDS)("failures of spans without a step number (%s store)", (kind) => {
  const current = useStore(kind);
  const failureSteps = () => current().query("SELECT span_id, step FROM failures ORDER BY span_id");

  it("take the step that encloses them, however deep", async () => {
    await current().store.ingest([
      root,
      generation,
      step("b000000000000002", 2, 10),
      span("c000000000000001", "b000000000000002", { kind: "other", name: "wrapper" }),
      failingTool("d000000000000001", "c000000000000001", 11),
    ]);
    expect(await failureSteps()).toEqual([{ span_id: "d000000000000001", step: 2 }]);
  });

  it("take it when the step arrives in a later batch than the failure", async () => {
    await current().store.ingest([failingTool("d000000000000001", "b000000000000001", 5)]);
    expect(await failureSteps()).toEqual([{ span_id: "d000000000000001", step: null }]);
    await current().store.ingest([step("b000000000000001", 1, 4), generation, root]);
    expect(await failureSteps()).toEqual([{ span_id: "d000000000000001", step: 1 }]);
  });

  it("follow their step when the store numbers an earlier step before it", async () => {
    await current().store.ingest([root, generation, step("b000000000000002", null, 20)]);
    await current().store.ingest([failingTool("d000000000000001", "b000000000000002", 21)]);
    expect(await failureSteps()).toEqual([{ span_id: "d000000000000001", step: 1 }]);
    await current().store.ingest([step("b000000000000001", null, 10)]);
    expect(await failureSteps()).toEqual([{ span_id: "d000000000000001", step: 2 }]);
  });

  it("stay without a step outside any step, and keep a failed step's own number", async () => {
    const failedStep = {
      ...step("b000000000000003", 3, 30),
      status: "error" as const,
      failure: {
        step: 3,
        errorType: null,
        message: "x",
        stack: null,
        input: null,
        context: null,
        tsNs: ms(30),
      },
    };
    await current().store.ingest([
      root,
      generation,
      failingTool("d000000000000009", generation.spanId, 50),
      failedStep,
    ]);
    expect(await failureSteps()).toEqual([
      { span_id: "b000000000000003", step: 3 },
      { span_id: "d000000000000009", step: null },
    ]);
  });
});
