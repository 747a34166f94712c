import { init, run, shutdown, step } from "@flightrec/sdk";
import { logs } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { OpenTelemetryTransportV3 } from "@opentelemetry/winston-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import winston from "winston";
import { startTestCollector, type TestCollector } from "./helpers.js";

interface LogRow {
  span_id: string | null;
  run_id: string | null;
  severity_text: string | null;
  body: string | null;
  attributes: string | null;
}
interface SpanRow {
  span_id: string;
  name: string;
}

/**
 * An agent written with the SDK logs through winston with OpenTelemetry's winston transport, as
 * its README sets it up (a global LoggerProvider, the transport beside the console one),
 * exported by the OTel logs SDK over OTLP/JSON. Each line lands on the step that wrote it.
 */
describe("winston through @opentelemetry/winston-transport → /v1/logs", () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
    const url = collector.server.url;
    const loggerProvider = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "winston-agent" }),
      processors: [
        new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) }),
      ],
    });
    logs.setGlobalLoggerProvider(loggerProvider);
    const logger = winston.createLogger({
      level: "info",
      transports: [new winston.transports.Console({ silent: true }), new OpenTelemetryTransportV3()],
    });
    init({ endpoint: url, serviceName: "winston-agent", exportIntervalMs: 50 });
    try {
      await run("triage_ticket", { runId: "winston-1", requestId: "req-winston-1" }, async () => {
        await step("fetch_ticket", async () => {
          logger.info("fetched ticket 7", { ticket: 7 });
          return { id: 7 };
        });
        await step("classify", async () => {
          logger.warn("low confidence: asking a human", { confidence: 0.4 });
          logger.debug("below the logger's level: never sent");
          return "billing";
        });
      });
    } finally {
      await shutdown();
      await loggerProvider.forceFlush();
      await loggerProvider.shutdown();
      logs.disable();
    }
  }, 30_000);

  afterAll(async () => {
    await collector?.stop();
  });

  it("keeps each line on the step that wrote it, with its level and fields", async () => {
    const api = (path: string) => fetch(`${collector.server.url}${path}`).then((r) => r.json());
    const detail = (await api("/api/runs/winston-1")) as { spans: SpanRow[] };
    const stepId = (name: string) => detail.spans.find((s) => s.name === name)?.span_id;
    const { logs: lines } = (await api("/api/logs?runId=winston-1")) as { logs: LogRow[] };
    expect(
      lines.map((l) => ({
        step: detail.spans.find((s) => s.span_id === l.span_id)?.name,
        level: l.severity_text,
        body: JSON.parse(l.body ?? "null"),
        fields: JSON.parse(l.attributes ?? "{}"),
      })),
    ).toEqual([
      { step: "fetch_ticket", level: "info", body: "fetched ticket 7", fields: { ticket: 7 } },
      {
        step: "classify",
        level: "warn",
        body: "low confidence: asking a human",
        fields: { confidence: 0.4 },
      },
    ]);
    expect(lines.every((l) => l.run_id === "winston-1")).toBe(true);
    expect(stepId("fetch_ticket")).toBeTruthy();
  });
});
