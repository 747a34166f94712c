import { describe, expect, it } from "vitest";
import { span, TRACE } from "../../../test/step-span.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";
import type { DecisionStore } from "../store.js";

const root = (overrides: Partial<SpanRecord> = {}) =>
  span({
    spanId: "aaaaaaaaaaaaaaaa",
    kind: "run",
    name: "invoke_agent demo",
    runName: "demo",
    stepIndex: null,
    ...overrides,
  });
const llm = (overrides: Partial<SpanRecord> = {}) =>
  span({
    spanId: "2222222222222222",
    kind: "llm",
    name: "chat",
    stepIndex: null,
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.5,
    ...overrides,
  });

describe.each(STORE_KINDS)("ingest (%s store)", (kind) => {
  const current = useStore(kind);
  const q = (sql: string) => current().query(sql);
  const store = {
    ingest: (...a: Parameters<DecisionStore["ingest"]>) => current().store.ingest(...a),
    getRun: (runId: string) => current().store.getRun(runId),
    deleteRunsBefore: (...a: Parameters<DecisionStore["deleteRunsBefore"]>) =>
      current().store.deleteRunsBefore(...a),
    deleteSpansWithoutRunBefore: (...a: Parameters<DecisionStore["deleteSpansWithoutRunBefore"]>) =>
      current().store.deleteSpansWithoutRunBefore(...a),
  };

  it("clears the run's error when the run ends ok after recovering, in whatever order spans arrive", async () => {
    const failedTool = span({
      spanId: "3333333333333333",
      kind: "tool",
      name: "weather",
      stepIndex: null,
      status: "error",
      errorMessage: "no such city",
    });
    await store.ingest([failedTool]);
    expect(await q("SELECT status, error FROM runs")).toEqual([{ status: "running", error: "no such city" }]);
    await store.ingest([root()]);
    expect(await q("SELECT status, error FROM runs")).toEqual([{ status: "ok", error: null }]);
    await store.ingest([failedTool]); // sent again, after the run ended
    expect(await q("SELECT status, error FROM runs")).toEqual([{ status: "ok", error: null }]);
    // A run that does not recover keeps the error it failed with.
    await store.ingest([
      root({ status: "error", errorMessage: "gave up", runId: "task-2", traceId: "b".repeat(32) }),
    ]);
    expect(await q("SELECT error FROM runs WHERE run_id = 'task-2'")).toEqual([{ error: "gave up" }]);
  });

  it("stores a retried batch once and counts its usage once", async () => {
    const decision = {
      step: 1,
      action: "go",
      reasoning: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      tsNs: 1n,
    };
    const batch = [span({ decisions: [decision] }), llm(), root()];
    await store.ingest(batch);
    await store.ingest(batch);
    expect(await q("SELECT count(*) AS n FROM spans")).toEqual([{ n: 3 }]);
    expect(await q("SELECT count(*) AS n FROM decisions")).toEqual([{ n: 1 }]);
    expect(await q("SELECT status, steps, input_tokens, output_tokens, cost_usd FROM runs")).toEqual([
      { status: "ok", steps: 1, input_tokens: 100, output_tokens: 10, cost_usd: 0.5 },
    ]);
  });

  it("identifies a span by trace and span ID: a copy with other times replaces it", async () => {
    await store.ingest([root(), span({}), llm()]);
    const later = { startNs: 1_763_900_000_250_000_000n, endNs: 1_763_900_000_900_000_000n };
    await store.ingest([llm({ ...later, outputTokens: 12 }), span({ ...later, output: '{"rows":4}' })]);
    expect(await q("SELECT span_id, start_ns, output_tokens, output FROM spans ORDER BY span_id")).toEqual([
      {
        span_id: "1111111111111111",
        start_ns: Number(later.startNs),
        output_tokens: null,
        output: '{"rows":4}',
      },
      { span_id: "2222222222222222", start_ns: Number(later.startNs), output_tokens: 12, output: null },
      { span_id: "aaaaaaaaaaaaaaaa", start_ns: 1_763_900_000_000_000_000, output_tokens: null, output: null },
    ]);
    expect(await q("SELECT steps, input_tokens, output_tokens, cost_usd FROM runs")).toEqual([
      { steps: 1, input_tokens: 100, output_tokens: 12, cost_usd: 0.5 },
    ]);
    // A placeholder with another start time still never overwrites the finished span.
    await store.ingest([span({ pending: true, status: "running", endNs: null, startNs: 1n })]);
    expect(await q("SELECT status FROM spans WHERE span_id = '1111111111111111'")).toEqual([
      { status: "ok" },
    ]);
    expect((await store.getRun("task-1"))!.spans.map((s) => s.span_id)).toEqual([
      "aaaaaaaaaaaaaaaa",
      "1111111111111111",
      "2222222222222222",
    ]);
  });

  it("keeps one row for copies of a span with other times in one batch, and after a restart", async () => {
    const copies = [llm(), llm({ startNs: 1_763_900_000_400_000_000n, inputTokens: 90 })];
    await store.ingest([root(), ...copies]);
    await current().reopen();
    await store.ingest([llm({ startNs: 1_763_900_009_000_000_000n, endNs: 1_763_900_009_500_000_000n })]);
    const newTrace = llm({ traceId: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", runId: "task-2" });
    await store.ingest([newTrace, newTrace]);
    expect(
      await q(
        "SELECT run_id, count(*) AS n, sum(input_tokens) AS tokens FROM spans GROUP BY run_id ORDER BY run_id",
      ),
    ).toEqual([
      { run_id: "task-1", n: 2, tokens: 100 },
      { run_id: "task-2", n: 1, tokens: 100 },
    ]);
    expect(await q("SELECT run_id, input_tokens, cost_usd FROM runs ORDER BY run_id")).toEqual([
      { run_id: "task-1", input_tokens: 100, cost_usd: 0.5 },
      { run_id: "task-2", input_tokens: 100, cost_usd: 0.5 },
    ]);
  });

  it("never lets a placeholder overwrite the finished span, in either order", async () => {
    const placeholder = span({ pending: true, status: "running", endNs: null });
    await store.ingest([placeholder]);
    expect(await q("SELECT status FROM spans")).toEqual([{ status: "running" }]);
    await store.ingest([span({ output: '{"rows":3}' })]);
    await store.ingest([placeholder]);
    expect(await q("SELECT status, output FROM spans")).toEqual([{ status: "ok", output: '{"rows":3}' }]);
    expect(await q("SELECT steps, current_step FROM runs")).toEqual([{ steps: 1, current_step: 1 }]);
  });

  it("counts a step whose placeholder arrived as a span of no kind (a framework's open node)", async () => {
    await store.ingest([
      span({ kind: "other", stepIndex: null, pending: true, status: "running", endNs: null }),
    ]);
    await store.ingest([span({})]);
    expect(await q("SELECT steps, current_step FROM runs")).toEqual([{ steps: 1, current_step: 1 }]);
  });

  it("puts another instrumentation's spans inside a run of ours in the attempt whose trace they are in", async () => {
    await store.ingest([root({ attempt: 2, pending: true, status: "running", endNs: null })]);
    const node = {
      runId: null,
      kind: "step" as const,
      spanId: "3333333333333333",
      parentSpanId: "aaaaaaaaaaaaaaaa",
    };
    await store.ingest([span(node)]);
    // Earlier spans of the trace that came before the run span join its attempt too.
    const other = "1bf7651916cd43dd8448eb211c80319c";
    await store.ingest([span({ ...node, kind: "other", traceId: other, spanId: "4444444444444444" })]);
    await store.ingest([root({ traceId: other, attempt: 3, spanId: "bbbbbbbbbbbbbbbb" })]);
    expect(await q("SELECT trace_id, run_id, attempt, kind FROM spans ORDER BY span_key")).toEqual([
      { trace_id: TRACE, run_id: "task-1", attempt: 2, kind: "run" },
      { trace_id: TRACE, run_id: "task-1", attempt: 2, kind: "step" },
      { trace_id: other, run_id: "task-1", attempt: 3, kind: "other" },
      { trace_id: other, run_id: "task-1", attempt: 3, kind: "run" },
    ]);
  });

  it("creates a run from any span and completes it when the root arrives", async () => {
    await store.ingest([span({})]);
    expect(await q("SELECT status, name, ended_at FROM runs")).toEqual([
      { status: "running", name: null, ended_at: null },
    ]);
    await store.ingest([root({ status: "error", errorMessage: "boom" })]);
    expect(await q("SELECT status, name, error, duration_ms FROM runs")).toEqual([
      { status: "error", name: "demo", error: "boom", duration_ms: 1000 },
    ]);
  });

  it("starts a resumed attempt over, adding usage across attempts", async () => {
    await store.ingest([
      llm(),
      span({ status: "error", errorMessage: "killed" }),
      root({ status: "error", errorMessage: "killed" }),
    ]);
    const attempt2 = { attempt: 2, startNs: 1_763_900_005_000_000_000n, endNs: 1_763_900_006_000_000_000n };
    await store.ingest([
      llm({ spanId: "3333333333333333", ...attempt2 }),
      span({ spanId: "4444444444444444", stepIndex: 2, name: "send", ...attempt2 }),
    ]);
    expect(
      await q("SELECT status, attempts, steps, current_step, error, input_tokens, cost_usd FROM runs"),
    ).toEqual([
      {
        status: "running",
        attempts: 2,
        steps: 1,
        current_step: 2,
        error: null,
        input_tokens: 200,
        cost_usd: 1,
      },
    ]);
    await store.ingest([root({ spanId: "5555555555555555", ...attempt2 })]);
    expect(await q("SELECT status, error FROM runs")).toEqual([{ status: "ok", error: null }]);
  });

  it("keeps two traces' spans that share a span ID", async () => {
    await store.ingest([span({})]);
    await store.ingest([span({ traceId: "ffffffffffffffffffffffffffffffff", runId: "task-2" })]);
    await store.ingest([span({ traceId: "ffffffffffffffffffffffffffffffff", runId: "task-2" })]);
    expect(await q("SELECT trace_id, run_id FROM spans ORDER BY run_id")).toEqual([
      { trace_id: TRACE, run_id: "task-1" },
      { trace_id: "ffffffffffffffffffffffffffffffff", run_id: "task-2" },
    ]);
  });

  it("puts other instrumentations' spans into the run of their trace, or a run of their own", async () => {
    await store.ingest([root(), llm({ runId: null, spanId: "6666666666666666" })]);
    await store.ingest([llm({ runId: null, spanId: "7777777777777777" })]);
    expect(await q("SELECT run_id, count(*) AS n FROM spans GROUP BY run_id")).toEqual([
      { run_id: "task-1", n: 3 },
    ]);
    const other = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    await store.ingest([
      span({
        traceId: other,
        runId: null,
        spanId: "8888888888888888",
        kind: "other",
        name: "HTTP GET",
        stepIndex: null,
      }),
    ]);
    expect(await q(`SELECT run_id FROM spans WHERE trace_id = '${other}'`)).toEqual([{ run_id: null }]);
    await store.ingest([
      llm({
        traceId: other,
        runId: null,
        spanId: "9999999999999999",
        parentSpanId: null,
        name: "ai.generateText",
      }),
    ]);
    expect(await q(`SELECT run_id, name, status FROM runs WHERE run_id = '${other}'`)).toEqual([
      { run_id: other, name: "ai.generateText", status: "ok" },
    ]);
  });

  it("puts a trace's spans that came before the span that makes it a run into that run", async () => {
    // A framework's graph ends last: its plumbing arrives first, as spans of no run yet.
    const graph = "dddddddddddddddddddddddddddddddd";
    const plumbing = (spanId: string, overrides: Partial<SpanRecord> = {}) =>
      span({
        traceId: graph,
        runId: null,
        spanId,
        parentSpanId: "ffffffffffffffff",
        kind: "other",
        name: "RunnableLambda",
        stepIndex: 1,
        ...overrides,
      });
    const failure = {
      step: 1,
      errorType: "Error",
      message: "bad route",
      stack: null,
      input: null,
      context: null,
      tsNs: 1_763_900_000_500_000_000n,
    };
    await store.ingest([plumbing("0000000000000001")]);
    await store.ingest([
      plumbing("0000000000000002", { status: "error", errorMessage: "bad route", failure }),
    ]);
    expect(await q(`SELECT run_id FROM spans WHERE trace_id = '${graph}'`)).toEqual([
      { run_id: null },
      { run_id: null },
    ]);
    await store.ingest([
      llm({ traceId: graph, runId: null, spanId: "0000000000000003", parentSpanId: "ffffffffffffffff" }),
    ]);
    expect(await q(`SELECT DISTINCT run_id FROM spans WHERE trace_id = '${graph}'`)).toEqual([
      { run_id: graph },
    ]);
    expect(await q(`SELECT run_id, step, message FROM failures WHERE trace_id = '${graph}'`)).toEqual([
      { run_id: graph, step: 1, message: "bad route" },
    ]);
    // Plain spans of another trace stay in no run.
    const other = "e".repeat(32);
    await store.ingest([plumbing("0000000000000004", { traceId: other })]);
    await store.ingest([llm({ traceId: graph, runId: null, spanId: "0000000000000005" })]);
    expect(await q(`SELECT run_id FROM spans WHERE trace_id = '${other}'`)).toEqual([{ run_id: null }]);
  });

  it("deletes old runs in small batches", async () => {
    await store.ingest([
      root(),
      span({}),
      span({ spanId: "bbbbbbbbbbbbbbbb", runId: "task-2", traceId: "dddddddddddddddddddddddddddddddd" }),
    ]);
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 1)).toEqual({ deleted: 1, more: true });
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 1)).toEqual({ deleted: 1, more: true });
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 1)).toEqual({ deleted: 0, more: false });
    expect(await q("SELECT count(*) AS n FROM spans UNION ALL SELECT count(*) FROM runs")).toEqual([
      { n: 0 },
      { n: 0 },
    ]);
  });

  it("deletes a trace's row with its last span, and keeps it while spans of another run remain", async () => {
    // A run inside another run's trace: deleting the outer run keeps the trace for the inner one.
    await store.ingest([root(), span({ runId: "inner", spanId: "3333333333333333" })]);
    await store.ingest([
      root({ runId: "plain", traceId: "cccccccccccccccccccccccccccccccc", kind: "other" }),
    ]);
    await current().exec(
      "UPDATE runs SET started_at = '2000-01-01', updated_at = '2000-01-01' WHERE run_id = 'task-1'",
    );
    expect(await store.deleteRunsBefore("2001-01-01T00:00:00.000Z", 10)).toEqual({ deleted: 1, more: false });
    const traces = () => q("SELECT trace_id, run_id FROM traces ORDER BY trace_id");
    expect(await traces()).toEqual([
      { trace_id: TRACE, run_id: null },
      { trace_id: "cccccccccccccccccccccccccccccccc", run_id: "plain" },
    ]);
    // The inner run's span, sent again with other times, is still the same row.
    await store.ingest([span({ runId: "inner", spanId: "3333333333333333", startNs: 5n })]);
    expect(await q("SELECT run_id, start_ns FROM spans ORDER BY run_id")).toEqual([
      { run_id: "inner", start_ns: 5 },
      { run_id: "plain", start_ns: 1_763_900_000_000_000_000 },
    ]);
    // The inner run's span claimed the trace again; with both runs gone no trace is left.
    expect(await store.deleteRunsBefore("2100-01-01T00:00:00.000Z", 10)).toEqual({ deleted: 2, more: false });
    expect(await traces()).toEqual([]);
    expect(await q("SELECT count(*) AS n FROM spans")).toEqual([{ n: 0 }]);
  });

  it("deletes the rows of traces of no run once their spans are gone, and only then", async () => {
    const plain = (traceId: string, startNs: bigint) =>
      span({ traceId, runId: null, kind: "other", stepIndex: null, startNs, endNs: startNs + 1n });
    const old = "0000000000000000000000000000000a";
    const spanning = "0000000000000000000000000000000b";
    await store.ingest([
      plain(old, 1_000_000_000n),
      plain(spanning, 1_000_000_000n),
      { ...plain(spanning, 4_000_000_000_000_000_000n), spanId: "4444444444444444" },
    ]);
    expect(await store.deleteSpansWithoutRunBefore("2050-01-01T00:00:00.000Z", 10)).toEqual({
      deleted: 2,
      more: false,
    });
    expect(await q("SELECT trace_id FROM traces")).toEqual([{ trace_id: spanning }]);
    // The span left of the trace is still found by its key when sent again.
    await store.ingest([{ ...plain(spanning, 3n), spanId: "4444444444444444" }]);
    expect(await q("SELECT trace_id, start_ns FROM spans")).toEqual([{ trace_id: spanning, start_ns: 3 }]);
  });

  it("stores spans from any time a span can carry, not only from before 2039", async () => {
    // Start times whose milliseconds need more than 41 bits once did not fit the integer key.
    const in2100 = 4_102_444_800_000_000_000n;
    const latest = 2n ** 63n - 1n; // the largest time an SQLite integer holds (year 2262)
    const spans = [
      span({ startNs: in2100, endNs: in2100 + 5_000_000n }),
      span({ spanId: "cccccccccccccccc", stepIndex: 2, startNs: latest, endNs: latest }),
    ];
    await store.ingest(spans);
    await store.ingest(spans); // a retry still finds each copy on its key
    expect(await q("SELECT span_id, start_ns, started_at FROM spans ORDER BY start_ns")).toEqual([
      { span_id: spans[0]!.spanId, start_ns: Number(in2100), started_at: "2100-01-01T00:00:00.000Z" },
      { span_id: "cccccccccccccccc", start_ns: Number(latest), started_at: "2262-04-11T23:47:16.854Z" },
    ]);
  });

  it("reports the spans it could not store, the same ones again on a retry", async () => {
    // Span IDs of one trace that end in the same 22 bits share a key; the next keys take a few more.
    const spanIds = Array.from({ length: 10 }, (_, i) => `${i.toString(16).padStart(2, "0")}cdcdcdcd0000ee`);
    const spans = spanIds.map((spanId) => span({ spanId, runId: null }));
    const first = await store.ingest(spans);
    expect(first.stored).toBe(8);
    expect(first.unstored).toEqual(
      spanIds.slice(8).map((spanId) => ({ traceId: TRACE, spanId, reason: expect.any(String) })),
    );
    const retry = await store.ingest(spans);
    expect(retry.unstored.map((u) => u.spanId)).toEqual(spanIds.slice(8));
    expect(await q("SELECT count(*) AS n FROM spans")).toEqual([{ n: 8 }]);
  });

  it("stores the spans of many traces that share a span ID and start time", async () => {
    const traces = Array.from(
      { length: 10 },
      (_, i) => `${i.toString(16).padStart(2, "0")}${"cd".repeat(15)}`,
    );
    const spans = traces.map((traceId) => span({ traceId, spanId: "00000000000000ee", runId: null }));
    expect((await store.ingest(spans)).unstored).toEqual([]);
    expect((await store.ingest(spans)).stored).toBe(10);
    expect(await q("SELECT count(DISTINCT trace_id) AS traces, count(*) AS n FROM spans")).toEqual([
      { traces: 10, n: 10 },
    ]);
  });

  it("deletes a run of many spans over several transactions, a bounded number of spans each", async () => {
    const spans = Array.from({ length: 50 }, (_, i) =>
      span({ spanId: (0x100 + i).toString(16).padStart(16, "0"), stepIndex: i + 1 }),
    );
    await store.ingest(spans);
    // A run started after the cutoff stays (and with it, on PostgreSQL, the day's partition).
    const kept = span({ traceId: "d".repeat(32), runId: "kept", startNs: 1_924_992_000_000_000_000n });
    await store.ingest([{ ...kept, endNs: kept.startNs + 1n }]);
    const left = async () => (await q("SELECT count(*) AS n FROM spans"))[0];
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 10, 20)).toEqual({
      deleted: 0,
      more: true,
    });
    expect(await left()).toEqual({ n: 31 });
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 10, 20)).toEqual({
      deleted: 0,
      more: true,
    });
    expect(await store.deleteRunsBefore("2030-01-01T00:00:00.000Z", 10, 20)).toEqual({
      deleted: 1,
      more: false,
    });
    expect(await q("SELECT count(*) AS n FROM spans UNION ALL SELECT count(*) FROM runs")).toEqual([
      { n: 1 },
      { n: 1 },
    ]);
  });
});
