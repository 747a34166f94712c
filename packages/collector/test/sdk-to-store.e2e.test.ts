import { hostname } from "node:os";
import { init, run, shutdown, step } from "@flightrec/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

interface SpanRow {
  span_id: string;
  parent_span_id: string | null;
  trace_id: string;
  kind: string;
  name: string;
  status: string;
  step_index: number | null;
  duration_ms: number;
  started_at: string;
  ended_at: string;
  output: string | null;
  error: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SDK → OTLP/HTTP exporter → collector → SQLite", () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
    init({ serviceName: "e2e-agent", endpoint: collector.server.url });

    await run("analyze_sales_data", { runId: "task-123", input: { quarter: "Q3" } }, async () => {
      const rows = await step("fetch_data", async () => {
        await sleep(30);
        return [{ region: "north", revenue: 10 }];
      });
      await step("analyze", () => rows.length);
      await step("send_email", async () => {
        await sleep(10);
        return { sent: true };
      });
    });
    await run("analyze_sales_data", { runId: "task-124" }, async () => {
      await step("fetch_data", () => []);
      await step("send_email", () => {
        throw new Error("SMTP down");
      });
    }).catch(() => {});
    await shutdown();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it("stores the run with its rolled-up status, steps and duration", () => {
    const [run] = collector.query("SELECT * FROM runs WHERE run_id = 'task-123'");
    expect(run).toMatchObject({
      run_id: "task-123",
      name: "analyze_sales_data",
      status: "ok",
      steps: 3,
      current_step: 3,
      attempts: 1,
      service: "e2e-agent",
    });
    expect(run!.duration_ms).toBeGreaterThanOrEqual(40);
    expect(run!.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(run!.ended_at as string)).toBeGreaterThan(Date.parse(run!.started_at as string));
  });

  it("stores every span with parent links, step order, status and durations", () => {
    const spans = collector.query<SpanRow>("SELECT * FROM spans WHERE run_id = 'task-123' ORDER BY start_ns");
    expect(spans.map((s) => [s.kind, s.name, s.step_index])).toEqual([
      ["run", "invoke_agent analyze_sales_data", null],
      ["step", "fetch_data", 1],
      ["step", "analyze", 2],
      ["step", "send_email", 3],
    ]);
    const [root, ...steps] = spans;
    expect(root!.parent_span_id).toBeNull();
    for (const s of steps) {
      expect(s.parent_span_id).toBe(root!.span_id);
      expect(s.trace_id).toBe(root!.trace_id);
      expect(s.status).toBe("ok");
    }
    expect(steps[0]!.duration_ms).toBeGreaterThanOrEqual(25);
    expect(steps[0]!.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse(steps[0]!.output!)).toEqual([{ region: "north", revenue: 10 }]);
    expect(root!.duration_ms).toBeGreaterThanOrEqual(steps.reduce((sum, s) => sum + s.duration_ms, 0));
  });

  it("stores a failed run as error, with the failing step's message", () => {
    const [run] = collector.query("SELECT status, error, steps FROM runs WHERE run_id = 'task-124'");
    expect(run).toEqual({ status: "error", error: "SMTP down", steps: 2 });
    const failed = collector.query<SpanRow>(
      "SELECT * FROM spans WHERE run_id = 'task-124' AND status = 'error' ORDER BY start_ns",
    );
    expect(failed.map((s) => s.name)).toEqual(["invoke_agent analyze_sales_data", "send_email"]);
  });

  it("serves the runs through the query API", async () => {
    const list = (await (await fetch(`${collector.server.url}/api/runs`)).json()) as {
      runs: { run_id: string }[];
    };
    expect(list.runs.map((r) => r.run_id).sort()).toEqual(["task-123", "task-124"]);
    const detail = (await (await fetch(`${collector.server.url}/api/runs/task-123`)).json()) as {
      spans: unknown[];
    };
    expect(detail.spans).toHaveLength(4);
    const missing = await fetch(`${collector.server.url}/api/runs/nope`);
    expect(missing.status).toBe(404);
  });

  it("serves the agent's environment on its run span only, from the SDK's resource", async () => {
    const detail = (await (await fetch(`${collector.server.url}/api/runs/task-123`)).json()) as {
      spans: { kind: string; resource: string | null }[];
    };
    const [root, ...others] = detail.spans;
    expect(root!.kind).toBe("run");
    expect(JSON.parse(root!.resource!)).toMatchObject({
      "service.name": "e2e-agent",
      "telemetry.distro.name": "@flightrec/sdk",
      "process.runtime.version": process.versions.node,
      "host.name": hostname(),
    });
    expect(others.map((s) => s.resource)).toEqual([null, null, null]);
  });
});
