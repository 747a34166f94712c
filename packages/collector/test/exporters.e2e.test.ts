import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as HttpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

type ExporterFactory = (url: string, compression: "gzip" | "none") => SpanExporter;

const exporters: [string, ExporterFactory][] = [
  ["HTTP/JSON", (url, compression) => new HttpJsonExporter({ url, compression: compression as never })],
  ["HTTP/protobuf", (url, compression) => new HttpProtoExporter({ url, compression: compression as never })],
];

/** Records one run (root, a step that decides, an LLM call with tokens, a failing tool) through `exporter`. */
async function recordRun(exporter: SpanExporter, runId: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "exporter-test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("test");
  const run = { "flightrec.run.id": runId, "flightrec.run.attempt": 1 };
  tracer.startActiveSpan(
    "invoke_agent analyze",
    { attributes: { ...run, "flightrec.span.kind": "run" } },
    (root) => {
      tracer.startActiveSpan(
        "fetch_data",
        { attributes: { ...run, "flightrec.span.kind": "step", "flightrec.step.index": 1 } },
        (step) => {
          const llm = tracer.startSpan("chat gpt-4o", {
            attributes: {
              ...run,
              "gen_ai.operation.name": "chat",
              "gen_ai.provider.name": "openai",
              "gen_ai.request.model": "gpt-4o",
              "gen_ai.usage.input_tokens": 1200,
              "gen_ai.usage.output_tokens": 300,
              "flightrec.cost.usd": 0.006,
            },
          });
          llm.end();
          step.addEvent("flightrec.decision", {
            "flightrec.decision.action": "send_email",
            "flightrec.decision.reasoning": "found anomaly in Q3 data",
          });
          const tool = tracer.startSpan("execute_tool send_email", {
            attributes: { ...run, "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "send_email" },
          });
          tool.recordException(new Error("SMTP down"));
          tool.setStatus({ code: 2, message: "SMTP down" });
          tool.end();
          step.setAttribute("flightrec.step.output", JSON.stringify({ rows: 3 }));
          step.end();
        },
      );
      root.end();
    },
  );
  await provider.forceFlush();
  await provider.shutdown();
}

describe.each(exporters)("the OTel JS %s exporter → collector", (_name, makeExporter) => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each(["none", "gzip"] as const)(
    "stores every span of a run sent with compression %s",
    async (compression) => {
      const runId = `run-${compression}`;
      await recordRun(makeExporter(`${collector.server.url}/v1/traces`, compression), runId);
      const spans = collector.query(
        "SELECT kind, name, status, model, input_tokens, cost_usd FROM spans WHERE run_id = ? ORDER BY kind",
        runId,
      );
      const none = { model: null, input_tokens: null, cost_usd: null };
      expect(spans).toEqual([
        {
          kind: "llm",
          name: "chat gpt-4o",
          status: "ok",
          model: "gpt-4o",
          input_tokens: 1200,
          cost_usd: 0.006,
        },
        { kind: "run", name: "invoke_agent analyze", status: "ok", ...none },
        { kind: "step", name: "fetch_data", status: "ok", ...none },
        { kind: "tool", name: "execute_tool send_email", status: "error", ...none },
      ]);
      expect(
        collector.query(
          "SELECT status, steps, input_tokens, output_tokens, cost_usd, service FROM runs WHERE run_id = ?",
          runId,
        ),
      ).toEqual([
        {
          status: "ok",
          steps: 1,
          input_tokens: 1200,
          output_tokens: 300,
          cost_usd: 0.006,
          service: "exporter-test",
        },
      ]);
      expect(
        collector.query("SELECT step, action, reasoning FROM decisions WHERE run_id = ?", runId),
      ).toEqual([{ step: 1, action: "send_email", reasoning: "found anomaly in Q3 data" }]);
      expect(
        collector.query("SELECT kind, name, error_type, message FROM failures WHERE run_id = ?", runId),
      ).toEqual([
        { kind: "tool", name: "execute_tool send_email", error_type: "Error", message: "SMTP down" },
      ]);
    },
  );

  it("keeps nanosecond timestamps exact", async () => {
    const rows = collector.query<{ start_ns: number; started_at: string }>(
      "SELECT CAST(start_ns AS TEXT) AS start_ns, started_at FROM spans WHERE run_id = 'run-none' AND kind = 'run'",
    );
    expect(String(rows[0]!.start_ns)).toMatch(/^\d{19}$/);
    expect(rows[0]!.started_at.slice(0, 19)).toBe(
      new Date(Number(BigInt(rows[0]!.start_ns) / 1_000_000n)).toISOString().slice(0, 19),
    );
  });
});
