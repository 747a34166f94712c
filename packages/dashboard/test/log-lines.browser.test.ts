import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { init, run, shutdown, step } from "@flightrec/sdk";
import { logs } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { PinoInstrumentation } from "@opentelemetry/instrumentation-pino";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";

const require = createRequire(import.meta.url);

/**
 * An agent written with the SDK logs through pino, instrumented with
 * @opentelemetry/instrumentation-pino and exported by the OTel logs SDK over OTLP/protobuf. The
 * instrumentation's require hook never sees an ESM import, so its module definition patches the
 * CommonJS build of pino here.
 */
async function runLoggingAgent(url: string): Promise<void> {
  const loggerProvider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "logging-agent" }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs` }) })],
  });
  logs.setGlobalLoggerProvider(loggerProvider);
  const instrumentation = new PinoInstrumentation();
  const [definition] = instrumentation.getModuleDefinitions();
  const pino = definition!.patch!(require("pino"), "10.4.0") as typeof import("pino").pino;
  const logger = pino({}, new Writable({ write: (_chunk, _encoding, done) => done() }));
  init({ endpoint: url, serviceName: "logging-agent", exportIntervalMs: 50 });
  try {
    await run("triage_ticket", { runId: "logs-1", requestId: "req-logs-1" }, async () => {
      await step("fetch_ticket", async () => {
        logger.info({ ticket: 7 }, "fetched ticket 7");
        return { id: 7 };
      });
      await step("classify", async () => {
        logger.warn({ confidence: 0.4 }, "low confidence: asking a human");
        return "billing";
      });
    });
    // Outside any run: kept, and found by the request ID it names.
    logger.info({ "flightrec.request.id": "req-logs-1" }, "queued for human review");
  } finally {
    await shutdown();
    await loggerProvider.forceFlush();
    await loggerProvider.shutdown();
    instrumentation.disable();
    logs.disable();
  }
}

describe.skipIf(!browserAvailable())("log lines in the replay", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector();
    await runLoggingAgent(collector.url);
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  const inspector = (page: Page) => page.locator("article.inspector");
  const lines = (page: Page) =>
    inspector(page)
      .locator(".log-line")
      .evaluateAll((items) =>
        items.map(
          (li) => `${li.getAttribute("data-level")} ${li.querySelector(".log-message")?.textContent}`,
        ),
      );
  async function select(page: Page, name: string): Promise<void> {
    await page.locator(".waterfall .wf-row", { hasText: name }).click();
    await expect.poll(() => inspector(page).locator("h3").textContent()).toBe(name);
  }

  it("shows each pino line in the inspector of the step that wrote it", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}/runs/logs-1`);
    await inspector(page).waitFor();
    await select(page, "fetch_ticket");
    await expect.poll(() => lines(page)).toEqual(["info fetched ticket 7"]);
    await select(page, "classify");
    await expect.poll(() => lines(page)).toEqual(["warn low confidence: asking a human"]);
    await inspector(page).locator(".log-line .json-toggle").click();
    await expect.poll(() => inspector(page).locator(".log-line").textContent()).toContain("confidence");
    await select(page, "invoke_agent triage_ticket");
    expect(await inspector(page).locator(".log-lines").count()).toBe(0);
    await page.close();
  });

  it("lists the run's lines and those naming its request ID through /api/logs", async () => {
    const answer = (await (await fetch(`${collector.url}/api/logs?requestId=req-logs-1`)).json()) as {
      logs: { body: string; span_id: string | null }[];
    };
    expect(answer.logs.map((l) => [JSON.parse(l.body), l.span_id !== null])).toEqual([
      ["fetched ticket 7", true],
      ["low confidence: asking a human", true],
      ["queued for human review", false],
    ]);
  });
});
