import { createRequire } from "node:module";
import { metrics } from "@opentelemetry/api";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtobufLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeLlmServer } from "../../sdk/test/fake-llm-server.js";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

const require = createRequire(import.meta.url);

/**
 * The OpenTelemetry instrumentation of the openai client sends the conversation as log records
 * (GenAI content events), never on its spans. Its require hook never sees an ESM import, so the
 * test patches the CommonJS build of openai through the instrumentation's own module definition.
 */
describe.each(["json", "protobuf"] as const)(
  "@opentelemetry/instrumentation-openai with the OTel logs SDK over OTLP/%s → collector",
  (encoding) => {
    let collector: TestCollector;
    let llm: FakeLlmServer;

    beforeAll(async () => {
      collector = await startTestCollector();
      llm = await startFakeLlmServer();
      const tracerProvider = exportingProvider(collector.server.url, "otel-genai-agent", encoding);
      const url = `${collector.server.url}/v1/logs`;
      const loggerProvider = new LoggerProvider({
        resource: resourceFromAttributes({ "service.name": "otel-genai-agent" }),
        processors: [
          new SimpleLogRecordProcessor({
            exporter: encoding === "json" ? new JsonLogExporter({ url }) : new ProtobufLogExporter({ url }),
          }),
        ],
      });
      const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
      instrumentation.setTracerProvider(tracerProvider);
      instrumentation.setLoggerProvider(loggerProvider);
      // As registerInstrumentations does: without a meter provider its metric instruments stay unset.
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      const openai = require("openai") as typeof import("openai");
      const [definition] = instrumentation.getModuleDefinitions();
      definition!.patch!(openai);
      try {
        const client = new openai.OpenAI({ baseURL: `${llm.url}/v1`, apiKey: "sk-test" });
        await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [
            { role: "system", content: "Answer in one line." },
            { role: "user", content: "How did Q3 go?" },
          ],
        });
        const tools = [
          {
            type: "function" as const,
            function: {
              name: "sales_report",
              parameters: { type: "object", properties: { quarter: { type: "string" } } },
            },
          },
        ];
        const question = { role: "user" as const, content: "Why did Q3 drop?" };
        const first = await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [question],
          tools,
        });
        const call = first.choices[0]!.message.tool_calls![0]!;
        await client.chat.completions.create({
          model: "gpt-4o-mini",
          tools,
          messages: [
            question,
            first.choices[0]!.message,
            { role: "tool", tool_call_id: call.id, content: '{"revenue":"-12%"}' },
          ],
        });
        // The Responses API: its events list the messages in attributes.
        await client.responses.create({ model: "gpt-4o-mini", input: "Summarize Q3 in a word." });
      } finally {
        definition!.unpatch!(openai);
        await loggerProvider.forceFlush();
        await tracerProvider.forceFlush();
        await loggerProvider.shutdown();
        await tracerProvider.shutdown();
      }
    });
    afterAll(async () => {
      await llm?.close();
      await collector?.stop();
    });

    const calls = () =>
      collector.query<Record<string, unknown>>(
        `SELECT run_id, model, input_tokens, output_tokens, cost_usd, input, output, messages_from_logs
         FROM spans WHERE kind = 'llm' ORDER BY start_ns`,
      );

    it("shows the conversation on the LLM span, in the shape the SDK records", () => {
      const [plain] = calls();
      expect(plain).toMatchObject({
        model: "gpt-4o-mini",
        input_tokens: 1200,
        output_tokens: 300,
        messages_from_logs: 1,
      });
      expect(plain!.cost_usd).toBeGreaterThan(0);
      expect(JSON.parse(plain!.input as string)).toEqual([
        { role: "system", content: "Answer in one line." },
        { role: "user", content: "How did Q3 go?" },
      ]);
      expect(JSON.parse(plain!.output as string)).toEqual([
        {
          role: "assistant",
          parts: [{ type: "text", content: "The Q3 revenue dropped." }],
          finish_reason: "stop",
        },
      ]);
    });

    it("keeps tool calls and tool results in the conversation", () => {
      const [, asks, answers] = calls();
      expect(JSON.parse(asks!.output as string)).toEqual([
        {
          role: "assistant",
          parts: [{ type: "tool_call", id: "call_1", name: "sales_report", arguments: '{"quarter":"Q3"}' }],
          finish_reason: "tool_calls",
        },
      ]);
      expect(JSON.parse(answers!.input as string)).toEqual([
        { role: "user", content: "Why did Q3 drop?" },
        {
          role: "assistant",
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "sales_report", arguments: '{"quarter":"Q3"}' },
            },
          ],
        },
        { role: "tool", content: '{"revenue":"-12%"}', tool_call_id: "call_1" },
      ]);
    });

    it("shows a Responses API call's conversation from the messages its events list", () => {
      const responses = calls()[3]!;
      expect({
        input: JSON.parse(responses.input as string),
        output: JSON.parse(responses.output as string),
      }).toEqual({
        input: [{ role: "user", parts: [{ type: "text", content: "Summarize Q3 in a word." }] }],
        output: [
          {
            role: "assistant",
            parts: [
              { type: "reasoning", text: "Compared Q3 with Q2." },
              { type: "text", content: "Revenue fell 12%." },
            ],
            finish_reason: "stop",
          },
        ],
      });
    });

    it("keeps the events as records of the run, apart from its log lines", async () => {
      const [plain] = calls();
      const runId = plain!.run_id as string;
      const events = collector.query<{ event_name: string }>(
        "SELECT event_name FROM logs WHERE run_id = ? ORDER BY ts_ns, rowid",
        runId,
      );
      expect(events.map((e) => e.event_name)).toEqual([
        "gen_ai.system.message",
        "gen_ai.user.message",
        "gen_ai.choice",
      ]);
      const detail = (await (await fetch(`${collector.server.url}/api/runs/${runId}`)).json()) as {
        logs: unknown[];
      };
      expect(detail.logs).toEqual([]);
    });
  },
);
