import { describe, expect, it } from "vitest";
import { MS, RANGE, runOf, T0 } from "../../../test/run-spans.js";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";

describe.each(STORE_KINDS)("reads (%s store)", (kind) => {
  const current = useStore(kind);

  it("returns each attempt's resource on its run span, and none on other spans", async () => {
    const [root, call] = runOf("env-run", [{ kind: "llm" }], [5]);
    const second = spanRecord({ ...root, spanId: "aaaaaaaaaaaaaaaa", attempt: 2, startNs: T0 + 1000n * MS });
    await current().store.ingest([
      { ...root!, resource: '{"host.name":"laptop"}' },
      call!,
      { ...second, resource: '{"host.name":"worker-7"}' },
    ]);
    const detail = await current().store.getRun("env-run");
    const resources = detail!.spans.map((s) => [s.attempt, s.kind, s.resource]);
    expect(resources).toEqual([
      [1, "run", '{"host.name":"laptop"}'],
      [1, "llm", null],
      [2, "run", '{"host.name":"worker-7"}'],
    ]);
  });

  it("gives nearest-rank percentiles: the ⌈p·n⌉-th smallest duration, open calls left out", async () => {
    const llm = { kind: "llm" as const, model: "gpt-4o", inputTokens: 10, outputTokens: 1, costUsd: 0.25 };
    await current().store.ingest(runOf("run-a", [llm], [100, 20, 90, 30, 80, 40, 70, 50, 60, 10, null]));
    await current().store.ingest(runOf("run-b", [{ ...llm, model: null }], [10, 20, 30]));
    const { byModel, series } = await current().store.stats(RANGE);
    expect(byModel).toEqual([
      {
        model: "gpt-4o",
        calls: 11,
        input_tokens: 110,
        output_tokens: 11,
        cost_usd: 2.75,
        p50_ms: 50,
        p95_ms: 100,
      },
      {
        model: "(unknown)",
        calls: 3,
        input_tokens: 30,
        output_tokens: 3,
        cost_usd: 0.75,
        p50_ms: 20,
        p95_ms: 30,
      },
    ]);
    expect(series).toEqual([
      {
        bucket: "2025-11-23T12:00:00Z",
        runs: 2,
        errors: 0,
        input_tokens: 140,
        output_tokens: 14,
        cost_usd: 3.5,
      },
    ]);
  });

  it("names tools as the tool_calls view does, even when a span's attributes are not JSON", async () => {
    const tool = (name: string, attributes: string, status: "ok" | "error" = "ok") => ({
      kind: "tool" as const,
      name,
      attributes,
      status,
    });
    await current().store.ingest(
      runOf(
        "run-t",
        [
          tool("execute_tool", '{"gen_ai.tool.name":"send_email"}'),
          tool("execute_tool", '{"gen_ai.tool.name":"send_email"}', "error"),
          tool("search", "{}"),
          tool("fetch", "not json"),
        ],
        [10, 20, 30, 40],
      ),
    );
    expect((await current().store.stats(RANGE)).byTool).toEqual([
      { tool: "send_email", calls: 2, errors: 1, p50_ms: 10, p95_ms: 20 },
      { tool: "fetch", calls: 1, errors: 0, p50_ms: 40, p95_ms: 40 },
      { tool: "search", calls: 1, errors: 0, p50_ms: 30, p95_ms: 30 },
    ]);
    expect(
      (await current().query<{ tool: string }>("SELECT tool FROM tool_calls ORDER BY started_at")).map(
        (r) => r.tool,
      ),
    ).toEqual(["send_email", "send_email", "search", "fetch"]);
  });

  it("reads a run's outline without input, output and attributes, and one span whole", async () => {
    const [root, call] = runOf("outline-run", [{ kind: "llm", input: '[{"role":"user"}]' }], [5]);
    await current().store.ingest([root!, call!]);
    const outline = (await current().store.getRunOutline("outline-run"))!;
    expect(outline.spans.map((s) => [s.kind, s.replayed, "input" in s, "attributes" in s])).toEqual([
      ["run", false, false, false],
      ["llm", false, false, false],
    ]);
    const span = (await current().store.getSpan("outline-run", call!.spanId))!;
    expect(span).toMatchObject({ kind: "llm", input: '[{"role":"user"}]', attributes: "{}" });
    expect(await current().store.getSpan("outline-run", "0".repeat(16))).toBeNull();
    expect(await current().store.getRunOutline("no-such-run")).toBeNull();
  });
});
