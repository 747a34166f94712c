import { describe, expect, it } from "vitest";
import type { DecisionRow, FailureRow, RunDetail, RunRow, SpanRow } from "../api/schemas";
import { compareRuns, durationsDiffer } from "./compare-diff";
import { compareSide } from "./compare-side";
import { span } from "./test-spans";

function runRow(runId: string): RunRow {
  return {
    run_id: runId,
    name: "weather",
    status: "ok",
    started_at: "2026-01-01T00:00:00.000Z",
    ended_at: null,
    duration_ms: 100,
    current_step: null,
    current_step_name: null,
    steps: 3,
    attempts: 1,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    error: null,
    request_id: null,
    service: "svc",
    last_seen_at: null,
    updated_at: "2026-01-01T00:00:01.000Z",
  };
}

/** A run of three steps, each with one model call; `over` changes what a test is about. */
function detail(
  runId: string,
  over: { input?: string; geocode?: Partial<SpanRow>; call?: Partial<SpanRow>; resource?: object } = {},
  extra: { decisions?: DecisionRow[]; failures?: FailureRow[]; spans?: SpanRow[] } = {},
): RunDetail {
  const root = span({
    span_id: `${runId}-root`,
    run_id: runId,
    kind: "run",
    name: "weather",
    input: over.input ?? '{"city":"Paris"}',
    resource: JSON.stringify(over.resource ?? { "host.name": "laptop", "service.name": "svc" }),
  });
  const step = (i: number, name: string, more: Partial<SpanRow> = {}) =>
    span({
      span_id: `${runId}-s${i}`,
      parent_span_id: root.span_id,
      run_id: runId,
      step_index: i,
      name,
      ...more,
    });
  const steps = [
    step(1, "load", { output: '{"a":1,"b":2}' }),
    step(2, "plan", { output: '"fly"' }),
    step(3, "geocode", { output: '{"lat":48.8}', ...over.geocode }),
  ];
  const call = span({
    span_id: `${runId}-llm`,
    parent_span_id: steps[1]!.span_id,
    run_id: runId,
    kind: "llm",
    name: "chat",
    model: "gpt-4o",
    input_tokens: 10,
    output_tokens: 2,
    cost_usd: 0.001,
    attributes: '{"gen_ai.response.model":"gpt-4o-2024-08-06"}',
    ...over.call,
  });
  return {
    run: runRow(runId),
    spans: [root, ...steps, call, ...(extra.spans ?? [])],
    decisions: extra.decisions ?? [],
    failures: extra.failures ?? [],
    logs: [],
  };
}

const compare = (a: RunDetail, b: RunDetail, attempts: [number | null, number | null] = [null, null]) =>
  compareRuns(compareSide(a, attempts[0]), compareSide(b, attempts[1]));

describe("compareRuns", () => {
  it("finds nothing between a run and itself, key order in JSON included", () => {
    const a = detail("a");
    const b = detail("b", { geocode: { output: '{ "lat": 48.8 }' } });
    const result = compare(a, b);
    expect(result.firstDivergence).toBeNull();
    expect(result.steps.map((r) => [r.label, r.differences])).toEqual([
      ["1 · load", []],
      ["2 · plan", []],
      ["3 · geocode", []],
    ]);
    expect(result.run).toEqual([]);
    expect(result.environment.filter((e) => e.differs)).toEqual([]);
  });

  it("lands on the first step that diverges and names what differs there", () => {
    const failures: FailureRow[] = [
      {
        run_id: "b",
        attempt: 1,
        span_id: "b-s3",
        step: 3,
        kind: "step",
        name: "geocode",
        error_type: "Error",
        message: "unknown city Atlantis",
        stack: null,
        input: null,
        context: null,
        ts: "2026-01-01T00:00:00.050Z",
        run_name: null,
      },
    ];
    const a = detail("a");
    const b = detail(
      "b",
      {
        input: '{"city":"Atlantis"}',
        geocode: { status: "error", output: null },
        resource: { "host.name": "prod-7", "service.name": "svc" },
      },
      { failures },
    );
    const result = compare(a, b);
    expect(result.firstDivergence).toBe(2);
    expect(result.steps[2]!.differences.map((d) => [d.field, d.a, d.b])).toEqual([
      ["status", "ok", "error"],
      ["output", '{\n  "lat": 48.8\n}', "—"],
      ["error", "—", "Error: unknown city Atlantis"],
    ]);
    expect(result.run.map((d) => d.field)).toEqual(["input"]);
    expect(result.environment.filter((e) => e.differs)).toEqual([
      { key: "host.name", a: "laptop", b: "prod-7", differs: true },
    ]);
  });

  it("compares models, response models and decisions of a step; tokens and cost are shown but do not diverge", () => {
    const decision = (runId: string, reasoning: string): DecisionRow => ({
      run_id: runId,
      attempt: 1,
      step: 2,
      action: "fly",
      reasoning,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      details: null,
      ts: "2026-01-01T00:00:00.000Z",
      span_id: `${runId}-s2`,
    });
    const tokensOnly = compare(detail("a"), detail("b", { call: { input_tokens: 12, cost_usd: 0.0012 } }));
    expect(tokensOnly.firstDivergence).toBeNull();
    expect(tokensOnly.steps[1]!.differences.map((d) => [d.field, d.substantive])).toEqual([
      ["tokens", false],
      ["cost", false],
    ]);
    const result = compare(
      detail("a", {}, { decisions: [decision("a", "sunny")] }),
      detail(
        "b",
        { call: { model: "gpt-4o-mini", attributes: '{"gen_ai.response.model":"gpt-4o-mini-2024-07-18"}' } },
        { decisions: [decision("b", "storm")] },
      ),
    );
    expect(result.firstDivergence).toBe(1);
    expect(result.steps[1]!.differences.map((d) => [d.field, d.a, d.b])).toEqual([
      ["decisions", "fly — sunny", "fly — storm"],
      ["model", "gpt-4o", "gpt-4o-mini"],
      ["response model", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18"],
    ]);
  });

  it("puts a step only one side ran on a row of its own, as a divergence", () => {
    const extra = span({
      span_id: "b-s4",
      run_id: "b",
      step_index: 4,
      name: "report",
      parent_span_id: "b-root",
    });
    const result = compare(detail("a"), detail("b", {}, { spans: [extra] }));
    expect(result.steps.map((r) => r.label)).toEqual(["1 · load", "2 · plan", "3 · geocode", "4 · report"]);
    expect(result.firstDivergence).toBe(3);
    expect(result.steps[3]!.differences).toEqual([
      { field: "step", a: "did not run", b: "ran (ok)", substantive: true },
    ]);
  });

  it("compares two attempts of one run: replayed steps agree on their checkpoint, the killed step diverges", () => {
    const run = detail("task");
    const resumed = run.spans.map((s) => ({
      ...s,
      span_id: `${s.span_id}-2`,
      parent_span_id: s.parent_span_id && `${s.parent_span_id}-2`,
      attempt: 2,
    }));
    // Attempt 1 was killed in step 3; attempt 2 replayed steps 1 and 2 (no model call) and ran step 3.
    const interrupted = { status: "error", error: "interrupted: heartbeat stopped", duration_ms: 5000 };
    const killed = run.spans.map((s) =>
      s.name === "geocode" || s.kind === "run" ? { ...s, ...interrupted, output: null } : s,
    );
    const second = resumed
      .filter((s) => s.kind !== "llm")
      .map((s) =>
        s.step_index === 1 || s.step_index === 2
          ? { ...s, attributes: '{"flightrec.step.replayed":true}' }
          : s,
      );
    const both = { ...run, spans: [...killed, ...second] };
    const result = compare(both, both, [1, 2]);
    expect(result.a.attempt).toBe(1);
    expect(result.b.attempt).toBe(2);
    expect(result.steps[1]!.differences).toEqual([
      { field: "status", a: "ok", b: "replayed", substantive: false },
    ]);
    expect(result.firstDivergence).toBe(2);
    expect(result.steps[2]!.differences.map((d) => [d.field, d.a, d.b])).toEqual([
      ["status", "interrupted", "ok"],
      ["output", "—", '{\n  "lat": 48.8\n}'],
      ["error", "interrupted: heartbeat stopped", "—"],
    ]);
    // The killed attempt's duration is when the verdict came, not a measure to compare; what
    // the replayed model call cost was spent by attempt 1 only.
    expect(result.run.map((d) => [d.field, d.a, d.b])).toEqual([
      ["status", "interrupted", "ok"],
      ["error", "interrupted: heartbeat stopped", "—"],
      ["tokens", "10 in · 2 out", "—"],
      ["cost", "$0.001", "—"],
    ]);
    // Without attempts named, a side is the newest attempt.
    expect(compareSide(both, null).attempt).toBe(2);
  });
});

describe("durationsDiffer", () => {
  it("ignores jitter and names a step that took half again as long, 50 ms or more", () => {
    expect(durationsDiffer(10, 14)).toBe(false);
    expect(durationsDiffer(100, 140)).toBe(false);
    expect(durationsDiffer(100, 150)).toBe(true);
    expect(durationsDiffer(null, 5)).toBe(true);
  });
});
