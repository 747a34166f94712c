import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  FailureListPage,
  RunDetail,
  RunListPage,
  RunOutline,
  SpanRow,
  Stats,
} from "../src/store/store.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { hex, otlpJson, type SpanSpec } from "./otlp-builder.js";
import { createTestDatabase, type TestDatabase } from "./postgres-database.js";
import { STORE_KINDS } from "./store-harness.js";

const T0 = Date.parse("2026-11-20T10:00:00.000Z");

/** A cursor as the store encodes one, holding whatever values a client put in it. */
const forgedCursor = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

/** A run: root, one step per name, an LLM call in the first step; the last step fails when `error`. */
function runSpans(
  runId: string,
  opts: { at: number; name?: string; cost?: number; error?: string; model?: string },
) {
  const traceId = hex(16);
  const rootId = hex(8);
  const run = { "flightrec.run.id": runId, "flightrec.request.id": `req-${runId}` };
  const spans: SpanSpec[] = [
    {
      traceId,
      spanId: rootId,
      name: `invoke_agent ${opts.name ?? "analyze"}`,
      startMs: opts.at,
      durationMs: 1000,
      attributes: { ...run, "flightrec.span.kind": "run", "gen_ai.agent.name": opts.name ?? "analyze" },
      error: opts.error,
    },
  ];
  const stepId = hex(8);
  spans.push({
    traceId,
    spanId: stepId,
    parentSpanId: rootId,
    name: "fetch_data",
    startMs: opts.at + 10,
    durationMs: 300,
    attributes: { ...run, "flightrec.span.kind": "step", "flightrec.step.index": 1 },
    events: [
      {
        name: "flightrec.decision",
        atMs: opts.at + 200,
        attributes: { "flightrec.decision.action": "query_db" },
      },
    ],
  });
  spans.push({
    traceId,
    parentSpanId: stepId,
    name: "chat",
    startMs: opts.at + 20,
    durationMs: 200,
    attributes: {
      ...run,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": opts.model ?? "gpt-4o",
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 50,
      "flightrec.cost.usd": opts.cost ?? 0.01,
    },
  });
  const sendId = hex(8);
  spans.push({
    traceId,
    spanId: sendId,
    parentSpanId: rootId,
    name: "send_email",
    startMs: opts.at + 400,
    durationMs: 150,
    attributes: { ...run, "flightrec.span.kind": "step", "flightrec.step.index": 2 },
    error: opts.error,
  });
  spans.push({
    traceId,
    parentSpanId: sendId,
    name: "execute_tool smtp_send",
    startMs: opts.at + 410,
    durationMs: 100,
    attributes: { ...run, "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "smtp_send" },
    error: opts.error,
  });
  return spans;
}

describe.each(STORE_KINDS)("query API (docs/decisions/0002-query-api.md) on the %s store", (kind) => {
  let collector: TestCollector;
  let database: TestDatabase | undefined;
  const get = async <T>(path: string) => {
    const response = await fetch(`${collector.server.url}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    database = kind === "postgres" ? await createTestDatabase() : undefined;
    collector = await startTestCollector(database ? { store: database.url } : {});
    const spans = [
      ...runSpans("task-1", { at: T0, cost: 0.01 }),
      ...runSpans("task-2", { at: T0 + 60_000, cost: 0.5, name: "report", model: "claude-sonnet-4" }),
      ...runSpans("task-3", { at: T0 + 120_000, cost: 0.2, error: "SMTP down" }),
      ...runSpans("task-4", { at: T0 + 180_000, cost: 0.05 }),
    ];
    expect((await postTraces(collector.server.url, otlpJson(spans))).status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
    await database?.drop();
  });

  it("lists runs newest first with rolled-up totals", async () => {
    const { body } = await get<RunListPage>("/api/runs");
    expect(body.runs.map((r) => r.run_id)).toEqual(["task-4", "task-3", "task-2", "task-1"]);
    expect(body.nextCursor).toBeNull();
    expect(body.runs[1]).toMatchObject({
      status: "error",
      error: "SMTP down",
      steps: 2,
      current_step: 2,
      current_step_name: "send_email",
      input_tokens: 100,
      output_tokens: 50,
      cost_usd: 0.2,
      request_id: "req-task-3",
      name: "analyze",
      last_seen_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("filters by status, name, model, time, cost and text", async () => {
    const ids = async (query: string) =>
      (await get<RunListPage>(`/api/runs?${query}`)).body.runs.map((r) => r.run_id);
    expect(await ids("status=error")).toEqual(["task-3"]);
    expect(await ids("status=ok,error")).toHaveLength(4);
    expect(await ids("name=report")).toEqual(["task-2"]);
    expect(await ids("model=claude-sonnet-4")).toEqual(["task-2"]);
    expect(await ids(`from=${new Date(T0 + 100_000).toISOString()}`)).toEqual(["task-4", "task-3"]);
    expect(await ids(`to=${new Date(T0 + 100_000).toISOString()}`)).toEqual(["task-2", "task-1"]);
    expect(await ids("minCost=0.1")).toEqual(["task-3", "task-2"]);
    expect(await ids("q=smtp")).toEqual(["task-3"]);
    expect(await ids("q=req-task-1")).toEqual(["task-1"]);
  });

  it("reads a time range ending past the year 9999 as open-ended", async () => {
    const all = (await get<RunListPage>("/api/runs")).body.runs.map((r) => r.run_id);
    // In UTC this is 10000-01-01T13:00Z, whose ISO text starts with "+010000".
    const to = encodeURIComponent("9999-12-31T23:00:00-14:00");
    const { body } = await get<RunListPage>(`/api/runs?to=${to}`);
    expect(body.runs.map((r) => r.run_id)).toEqual(all);
    const stats = await get<Stats>(`/api/stats?from=${new Date(T0).toISOString()}&to=${to}`);
    expect(stats.body.series.reduce((n, b) => n + b.runs, 0)).toBe(all.length);
  });

  it("sorts and pages with an opaque cursor", async () => {
    const first = await get<RunListPage>("/api/runs?sort=cost_usd&order=desc&limit=3");
    expect(first.body.runs.map((r) => r.run_id)).toEqual(["task-2", "task-3", "task-4"]);
    const second = await get<RunListPage>(
      `/api/runs?sort=cost_usd&order=desc&limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toMatchObject({ runs: [{ run_id: "task-1" }], nextCursor: null });
    const byName = await get<RunListPage>("/api/runs?sort=name&order=asc&limit=1");
    const page2 = await get<RunListPage>(
      `/api/runs?sort=name&order=asc&limit=10&cursor=${byName.body.nextCursor}`,
    );
    expect([...byName.body.runs, ...page2.body.runs].map((r) => r.name)).toEqual([
      "analyze",
      "analyze",
      "analyze",
      "report",
    ]);
  });

  it.each([
    ["status=done", "status"],
    ["limit=0", "limit"],
    ["limit=501", "limit"],
    ["sort=cost", "sort"],
    ["order=up", "order"],
    ["from=yesterday", "from"],
    ["minCost=-1", "minCost"],
    ["minCost=", "minCost"],
    ["minCost=%20", "minCost"],
    ["cursor=garbage", "cursor"],
  ])("answers 400 naming the parameter for %s", async (query, name) => {
    const { status, body } = await get<{ error: string }>(`/api/runs?${query}`);
    expect(status).toBe(400);
    expect(body.error).toContain(`"${name}"`);
  });

  it("returns a run's detail: spans by start time, decisions, failures", async () => {
    const { status, body } = await get<RunDetail>("/api/runs/task-3");
    expect(status).toBe(200);
    expect(body.run.run_id).toBe("task-3");
    expect(body.spans.map((s) => s.name)).toEqual([
      "invoke_agent analyze",
      "fetch_data",
      "chat",
      "send_email",
      "execute_tool smtp_send",
    ]);
    expect(body.decisions).toMatchObject([{ step: 1, action: "query_db" }]);
    expect(body.failures.map((f) => f.name).sort()).toEqual([
      "execute_tool smtp_send",
      "invoke_agent analyze",
      "send_email",
    ]);
    expect((await get("/api/runs/nope")).status).toBe(404);
  });

  it("outlines a run: every span without input, output and attributes, each span whole on its own", async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const run = { "flightrec.run.id": "outlined", "flightrec.span.kind": "step" };
    // A day before the other runs, out of the ranges the stats and list tests read.
    const at = T0 - 86_400_000;
    const posted = await postTraces(
      collector.server.url,
      otlpJson([
        {
          traceId,
          spanId: rootId,
          name: "invoke_agent outlined",
          startMs: at,
          durationMs: 100,
          attributes: { ...run, "flightrec.span.kind": "run" },
        },
        {
          traceId,
          parentSpanId: rootId,
          name: "again",
          startMs: at + 1,
          durationMs: 1,
          attributes: {
            ...run,
            "flightrec.step.index": 1,
            "flightrec.step.replayed": true,
            "flightrec.step.output": '{"rows":3}',
          },
        },
        {
          traceId,
          parentSpanId: rootId,
          name: "fresh",
          startMs: at + 2,
          durationMs: 1,
          attributes: { ...run, "flightrec.step.index": 2 },
        },
      ]),
    );
    expect(posted.status).toBe(200);
    for (const runId of ["task-3", "outlined"]) {
      const full = (await get<RunDetail>(`/api/runs/${runId}`)).body;
      const { status, body: outline } = await get<RunOutline>(`/api/runs/${runId}?spans=outline`);
      expect(status).toBe(200);
      const { spans: fullSpans, ...rest } = full;
      const { spans: outlineSpans, ...outlineRest } = outline;
      expect(outlineRest).toEqual(rest);
      expect(outlineSpans).toEqual(
        fullSpans.map(({ input, output, attributes, ...columns }) => ({
          ...columns,
          replayed: runId === "outlined" && columns.name === "again",
        })),
      );
      for (const span of fullSpans) {
        const one = await get<{ span: SpanRow }>(`/api/runs/${runId}/spans/${span.span_id}`);
        expect(one).toEqual({ status: 200, body: { span } });
      }
    }
    expect((await get("/api/runs/task-3/spans/0000000000000000")).status).toBe(404);
    expect((await get("/api/runs/nope?spans=outline")).status).toBe(404);
    const bad = await get<{ error: string }>("/api/runs/task-3?spans=some");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('"spans"');
  });

  it("puts a parent before its children when they start at the same instant", async () => {
    const traceId = hex(16);
    const run = { "flightrec.run.id": "task-same-instant" };
    // Span IDs sort against the tree, so only the parent links can order these.
    const spans: SpanSpec[] = [
      {
        traceId,
        spanId: "ffffffffffffffff",
        name: "invoke_agent",
        startMs: T0 + 7_200_000,
        attributes: { ...run, "flightrec.span.kind": "run" },
      },
      {
        traceId,
        spanId: "eeeeeeeeeeeeeeee",
        parentSpanId: "ffffffffffffffff",
        name: "fetch_data",
        startMs: T0 + 7_200_000,
        attributes: { ...run, "flightrec.span.kind": "step", "flightrec.step.index": 1 },
      },
      {
        traceId,
        spanId: "1111111111111111",
        parentSpanId: "eeeeeeeeeeeeeeee",
        name: "chat",
        startMs: T0 + 7_200_000,
        attributes: { ...run, "gen_ai.operation.name": "chat" },
      },
      {
        traceId,
        spanId: "0000000000000001",
        parentSpanId: "1111111111111111",
        name: "http",
        startMs: T0 + 7_200_000,
      },
      {
        traceId,
        spanId: "0000000000000002",
        parentSpanId: "eeeeeeeeeeeeeeee",
        name: "later",
        startMs: T0 + 7_200_001,
        attributes: run,
      },
    ];
    expect((await postTraces(collector.server.url, otlpJson(spans))).status).toBe(200);
    const { body } = await get<RunDetail>("/api/runs/task-same-instant");
    expect(body.spans.map((s) => s.name)).toEqual(["invoke_agent", "fetch_data", "chat", "http", "later"]);
  });

  it("lists failures with groups", async () => {
    // The one SMTP error passed through the tool, its step and the run: it counts once, at the tool.
    const { body } = await get<FailureListPage>("/api/failures?limit=1");
    expect(body.failures).toHaveLength(1);
    expect(body.failures[0]).toMatchObject({
      run_id: "task-3",
      run_name: "analyze",
      message: "SMTP down",
      kind: "tool",
    });
    expect(body.nextCursor).toBeNull();
    expect(body.groups.byName.map((g) => [g.kind, g.name, g.count])).toEqual([
      ["tool", "execute_tool smtp_send", 1],
    ]);
    expect(body.groups.byErrorType).toEqual([{ error_type: null, count: 1, last_ts: expect.any(String) }]);
    expect(body.groups.byFingerprint).toEqual([
      expect.objectContaining({
        pattern: "SMTP down",
        kind: "tool",
        name: "execute_tool smtp_send",
        count: 1,
        runs: 1,
        latest: { run_id: "task-3", span_id: body.failures[0]!.span_id, message: "SMTP down" },
      }),
    ]);
    // Each failure names its problem's group.
    expect((body.failures[0] as { fingerprint?: string }).fingerprint).toBe(
      body.groups.byFingerprint[0]!.fingerprint,
    );
  });

  it.each([
    ["an object", forgedCursor({}, "task-1")],
    ["a boolean", forgedCursor(true, "task-1")],
    ["a list as the run ID", forgedCursor(0.5, ["task-1"])],
  ])("answers 400 for a run-list cursor holding %s", async (_, cursor) => {
    const { status, body } = await get<{ error: string }>(`/api/runs?sort=cost_usd&cursor=${cursor}`);
    expect(status).toBe(400);
    expect(body.error).toContain('"cursor"');
  });

  it.each([
    ["not a number", forgedCursor("soon", "1")],
    ["a fraction", forgedCursor(1.5, "1")],
    ["beyond 64 bits", forgedCursor("99999999999999999999", "1")],
    ["null", forgedCursor(null, null)],
  ])("answers 400 for a failures cursor holding %s", async (_, cursor) => {
    const { status, body } = await get<{ error: string }>(`/api/failures?cursor=${cursor}`);
    expect(status).toBe(400);
    expect(body.error).toContain('"cursor"');
  });

  it("gives stats over time with percentiles by model and tool", async () => {
    const { body } = await get<Stats>(
      `/api/stats?from=${new Date(T0 - 3_600_000).toISOString()}&to=${new Date(T0 + 3_600_000).toISOString()}&bucket=hour`,
    );
    expect(body.series).toEqual([
      {
        bucket: "2026-11-20T10:00:00Z",
        runs: 4,
        errors: 1,
        input_tokens: 400,
        output_tokens: 200,
        cost_usd: 0.76,
      },
    ]);
    expect(body.byModel).toEqual([
      {
        model: "gpt-4o",
        calls: 3,
        input_tokens: 300,
        output_tokens: 150,
        cost_usd: 0.26,
        p50_ms: 200,
        p95_ms: 200,
      },
      {
        model: "claude-sonnet-4",
        calls: 1,
        input_tokens: 100,
        output_tokens: 50,
        cost_usd: 0.5,
        p50_ms: 200,
        p95_ms: 200,
      },
    ]);
    expect(body.byTool).toEqual([{ tool: "smtp_send", calls: 4, errors: 1, p50_ms: 100, p95_ms: 100 }]);
    expect((await get("/api/stats?bucket=week")).status).toBe(400);
  });

  it.each([
    ["", "runId"],
    ["runId=task-1&limit=0", "limit"],
    ["runId=task-1&cursor=garbage", "cursor"],
  ])("answers /api/logs?%s with 400 naming the parameter", async (query, name) => {
    const { status, body } = await get<{ error: string }>(`/api/logs?${query}`);
    expect(status).toBe(400);
    expect(body.error).toContain(`"${name}"`);
  });

  it("lists a run's log records, none here, and carries them in its detail", async () => {
    expect(await get("/api/logs?runId=task-1")).toEqual({
      status: 200,
      body: { logs: [], nextCursor: null },
    });
    expect((await get<RunDetail & { logs: unknown[] }>("/api/runs/task-1")).body.logs).toEqual([]);
  });

  it("describes the tables and views for the SQL editor", async () => {
    const { body } = await get<{ tables: { name: string; columns: { name: string }[] }[] }>("/api/schema");
    const names = body.tables.map((t) => t.name);
    for (const name of ["runs", "spans", "decisions", "failures", "logs", "llm_calls", "tool_calls"])
      expect(names).toContain(name);
    expect(names).not.toContain("traces");
    const decisions = body.tables.find((t) => t.name === "decisions")!;
    expect(decisions.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(["run_id", "step", "action", "cost_usd", "ts"]),
    );
  });

  it("streams run changes as server-sent events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${collector.server.url}/api/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    text += decoder.decode((await reader.read()).value);
    await postTraces(collector.server.url, otlpJson(runSpans("task-live", { at: T0 + 240_000 })));
    while (!text.includes("event: run")) text += decoder.decode((await reader.read()).value);
    while (!/data: .*\n\n/.test(text.slice(text.indexOf("event: run"))))
      text += decoder.decode((await reader.read()).value);
    const data = /event: run\ndata: (.*)\n/.exec(text)![1]!;
    expect(JSON.parse(data)).toMatchObject({ run_id: "task-live", status: "ok" });
    controller.abort();
  });
});
