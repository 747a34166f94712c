import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arrivalBatches, arrivalCuts } from "../../../test/arrival-batches.js";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";
import { withOpenedStep } from "../../normalize/opened-step.js";

// A trace no run claims is a run of its own: run ID = trace ID.
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = 1_763_900_000_000_000_000n;
const ms = (n: number) => T0 + BigInt(n) * 1_000_000n;
const at = (start: number, end: number) => ({ traceId: TRACE, startNs: ms(start), endNs: ms(end) });

const root = spanRecord({ ...at(0, 100), spanId: "a000000000000000", kind: "run", name: "ai.generateText" });
/** A Vercel-style loop iteration: the model call and the step it opens. */
const turn = (id: string, start: number, end: number, tools: string[]) =>
  withOpenedStep(
    spanRecord({ ...at(start, end), spanId: id, parentSpanId: root.spanId, kind: "llm", name: "doGenerate" }),
    { toolNames: tools, finishReason: tools.length ? "tool-calls" : "stop" },
  );
const tool = (id: string, name: string, start: number, end: number, fails = false): SpanRecord =>
  spanRecord({
    ...at(start, end),
    spanId: id,
    parentSpanId: root.spanId,
    kind: "tool",
    name,
    joinsTurn: true,
    ...(fails && {
      status: "error" as const,
      errorMessage: "no seats",
      failure: {
        step: null,
        errorType: "NoSeatsError",
        message: "no seats",
        stack: null,
        input: "{}",
        context: null,
        tsNs: ms(end),
      },
    }),
  });

const spans = [
  root,
  ...turn("b000000000000001", 1, 10, ["weather"]),
  tool("c000000000000001", "weather", 11, 20),
  ...turn("b000000000000002", 21, 30, ["book_flight"]),
  tool("c000000000000002", "book_flight", 31, 40, true),
  ...turn("b000000000000003", 41, 50, []),
];

describe.each(STORE_KINDS)("turns of a framework's agent loop (%s store)", (kind) => {
  const current = useStore(kind);
  const q = (sql: string) => current().query(sql);
  /** Each span as "kind name <- parent", parents as their step index or name. */
  const tree = async () =>
    (
      await q(
        `SELECT s.kind || ' ' || s.name || ' <- ' || coalesce(p.kind || ' ' || coalesce(CAST(p.step_index AS TEXT), p.name), '-') AS row
       FROM spans s LEFT JOIN spans p ON p.span_id = s.parent_span_id ORDER BY s.start_ns, s.kind`,
      )
    ).map((r) => (r as { row: string }).row);
  const reopen = () => current().reset();

  const expected = [
    "run ai.generateText <- -",
    "llm doGenerate <- step 1",
    "step weather <- run ai.generateText",
    "tool weather <- step 1",
    "llm doGenerate <- step 2",
    "step book_flight <- run ai.generateText",
    "tool book_flight <- step 2",
    "llm doGenerate <- step 3",
    "step answer <- run ai.generateText",
  ];

  it("put each tool call under the step of the model call before it, and its failure at that step", async () => {
    for (const span of spans) await current().store.ingest([span]);
    expect(await tree()).toEqual(expected);
    expect(await q("SELECT step, name FROM failures")).toEqual([{ step: 2, name: "book_flight" }]);
    expect(await q("SELECT steps, current_step, current_step_name FROM runs")).toEqual([
      { steps: 3, current_step: 3, current_step_name: "answer" },
    ]);
    // A turn lasts until its last tool call ends.
    expect(await q("SELECT name, duration_ms FROM spans WHERE kind = 'step' ORDER BY step_index")).toEqual([
      { name: "weather", duration_ms: 19 },
      { name: "book_flight", duration_ms: 19 },
      { name: "answer", duration_ms: 9 },
    ]);
  });

  it("leave tools of other sources where they were sent", async () => {
    const plain = { ...tool("c000000000000009", "lookup", 11, 20), joinsTurn: false };
    await current().store.ingest([root, ...turn("b000000000000001", 1, 10, ["weather"]), plain]);
    expect(await tree()).toContain("tool lookup <- run ai.generateText");
  });

  it("come out the same whatever order and batches the spans arrive in", async () => {
    const batches = arrivalCuts(spans.length, 3);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(spans, { minLength: spans.length }),
        batches,
        async (order, cut) => {
          await reopen();
          for (const batch of arrivalBatches(order, cut)) await current().store.ingest(batch);
          expect(await tree()).toEqual(expected);
          expect(await q("SELECT step FROM failures")).toEqual([{ step: 2 }]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("give a tool that starts in the millisecond of the next model call to the turn before, in any order", async () => {
    // OpenTelemetry JS stamps starts to the millisecond: an instant tool and the next call tie.
    const tied = [
      root,
      ...turn("b000000000000001", 1, 10, ["weather"]),
      tool("c000000000000001", "weather", 21, 21),
      ...turn("b000000000000002", 21, 30, ["book_flight"]),
      tool("c000000000000002", "book_flight", 41, 41, true),
      ...turn("b000000000000003", 41, 50, []),
    ];
    const parents = async () =>
      (
        await q(
          `SELECT s.name || ' <- step ' || p.step_index AS row FROM spans s JOIN spans p ON p.span_id = s.parent_span_id
         WHERE s.kind = 'tool' ORDER BY s.start_ns`,
        )
      ).map((r) => (r as { row: string }).row);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(tied, { minLength: tied.length }), async (order) => {
        await reopen();
        for (const span of order) await current().store.ingest([span]);
        expect(await parents()).toEqual(["weather <- step 1", "book_flight <- step 2"]);
        expect(await q("SELECT step FROM failures")).toEqual([{ step: 2 }]);
      }),
      { numRuns: 25 },
    );
  });
});
