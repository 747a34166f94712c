import { describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanKindName, SpanRecord } from "../../domain.js";

/** A framework's trace: no run ID of ours, the trace is the run and its root span the run span. */
const TRACE = "feedc0de".repeat(4);
let clock = 1_000_000_000n;
function span(
  id: number,
  kind: SpanKindName,
  name: string,
  parent: number | null,
  extra: Partial<SpanRecord> = {},
) {
  clock += 1_000_000n;
  return spanRecord({
    traceId: TRACE,
    spanId: id.toString(16).padStart(16, "0"),
    parentSpanId: parent === null ? null : parent.toString(16).padStart(16, "0"),
    kind,
    name,
    startNs: clock,
    endNs: clock + 500_000n,
    ...extra,
  });
}
const open = { status: "running", endNs: null, pending: true } as const;

describe.each(STORE_KINDS)("the step a framework's run was in when it stopped (%s store)", (kind) => {
  const current = useStore(kind);
  const queries = () => current().store.durability;

  async function judge(): Promise<void> {
    await queries().interrupt({
      runId: TRACE,
      attempt: 1,
      reason: "no heartbeat",
      rootInput: null,
      step: await queries().inFlightStep(TRACE, 1),
      now: new Date(),
    });
  }
  const interruption = async () =>
    (await current().query("SELECT step, step_name, span_id FROM interruptions WHERE run_id = ?", TRACE))[0];
  const run = async () =>
    (
      await current().query(
        "SELECT status, current_step, current_step_name FROM runs WHERE run_id = ?",
        TRACE,
      )
    )[0];

  describe("the step a framework's run was in when it stopped", () => {
    it("is the graph's open node, after the last step on record, though its kind arrives only at its end", async () => {
      await current().store.ingest([
        span(1, "run", "LangGraph", null, open),
        span(2, "step", "agent", 1, { stepIndex: 1 }),
        span(3, "llm", "ChatOpenAI", 2, { stepIndex: 1, costUsd: 0.01 }),
        span(4, "other", "tools", 1, open), // OpenInference adds langgraph_step and the node at the end
        span(5, "tool", "weather", 4, open),
      ]);
      await judge();
      expect(await interruption()).toEqual({ step: 2, step_name: "tools", span_id: "0000000000000004" });
      expect(await run()).toEqual({ status: "interrupted", current_step: 2, current_step_name: "tools" });
    });

    it("is the graph's open node when the graph runs inside a run of ours (the thread's run)", async () => {
      const thread = { runId: "task-123" };
      await current().store.ingest([
        span(1, "run", "invoke_agent analyze_sales_data", null, { ...open, ...thread }),
        span(2, "other", "LangGraph", 1, { ...open, ...thread }),
        span(3, "step", "fetch_data", 2, { ...thread, stepIndex: 1 }),
        span(4, "step", "analyze", 2, { ...thread, stepIndex: 2 }),
        span(5, "other", "send_email", 2, { ...open, ...thread }),
      ]);
      await queries().interrupt({
        runId: "task-123",
        attempt: 1,
        reason: "no heartbeat",
        rootInput: null,
        step: await queries().inFlightStep("task-123", 1),
        now: new Date(),
      });
      expect(
        (
          await current().query(
            "SELECT step, step_name, span_id FROM interruptions WHERE run_id = 'task-123'",
          )
        )[0],
      ).toEqual({ step: 3, step_name: "send_email", span_id: "0000000000000005" });
      expect(
        (
          await current().query("SELECT current_step, current_step_name FROM runs WHERE run_id = 'task-123'")
        )[0],
      ).toEqual({ current_step: 3, current_step_name: "send_email" });
    });

    it("is the agent loop's latest step when it stopped in a tool call that no step holds", async () => {
      await current().store.ingest([
        span(1, "run", "forecast", null, open),
        span(2, "llm", "ai.generateText.doGenerate", 1),
        span(3, "step", "weather", 1, { stepIndex: 1 }),
        span(4, "tool", "weather", 1, { ...open, input: '{"city":"Paris"}' }),
      ]);
      await judge();
      // The step is named as the run list names it; the span in flight is the tool call.
      expect(await interruption()).toEqual({ step: 1, step_name: "weather", span_id: "0000000000000004" });
      expect(await run()).toEqual({ status: "interrupted", current_step: 1, current_step_name: "weather" });
    });

    it("is not worked out for our own SDK's runs, whose open spans outside a step are no node", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent", null, { ...open, runId: "task-1" }),
        span(2, "step", "fetch", 1, { runId: "task-1", stepIndex: 1 }),
        span(3, "other", "GET /data", 1, { ...open, runId: "task-1" }),
      ]);
      expect(await queries().inFlightStep("task-1", 1)).toMatchObject({
        name: "GET /data",
        step_index: 1,
        derived: false,
      });
    });
  });
});
