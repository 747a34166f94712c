import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DurableSpanProcessor } from "./durable-span-processor.js";

const HEARTBEAT_MS = 50;

let exporter: InMemorySpanExporter;
let processor: DurableSpanProcessor;
let provider: BasicTracerProvider;

beforeEach(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  exporter = new InMemorySpanExporter();
  // An export tick far away: what goes out before it was sent for being a run.
  processor = new DurableSpanProcessor({
    exporter,
    exportIntervalMs: 60_000,
    heartbeatIntervalMs: HEARTBEAT_MS,
  });
  provider = new BasicTracerProvider({ spanProcessors: [processor] });
});

afterEach(async () => {
  await provider.shutdown();
  context.disable();
});

const tracer = () => provider.getTracer("ai");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sent = (name: string, pending: boolean) =>
  exporter
    .getFinishedSpans()
    .filter((s) => s.name === name && (s.attributes["flightrec.span.pending"] === true) === pending);

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await sleep(5);
  if (!check()) throw new Error(`never happened: ${what}`);
}

/** A span as the Vercel AI SDK starts its outer call. */
function generateText(parent = context.active()) {
  return tracer().startSpan(
    "ai.generateText",
    { attributes: { "ai.operationId": "ai.generateText", "ai.telemetry.functionId": "forecast" } },
    parent,
  );
}

describe("a framework's run (the outermost span of an agent's call)", () => {
  it("is announced at its start as a run, on Flightrec's copies only", async () => {
    const root = generateText();
    await until("the run's placeholder", () => sent("ai.generateText", true).length > 0);
    expect(sent("ai.generateText", true)[0]?.attributes).toMatchObject({
      "ai.telemetry.functionId": "forecast",
      "flightrec.span.kind": "run",
      "flightrec.heartbeat.interval_ms": HEARTBEAT_MS,
    });
    // Other exporters of the app see the framework's span as it made it.
    expect((root as unknown as ReadableSpan).attributes["flightrec.span.kind"]).toBeUndefined();
    root.end();
    await until("the final span", () => sent("ai.generateText", false).length > 0);
    expect(sent("ai.generateText", false)[0]?.attributes["flightrec.span.kind"]).toBe("run");
  });

  it("keeps a heartbeat while it is open, with its open calls, and stops when it ends", async () => {
    const root = generateText();
    const call = tracer().startSpan(
      "ai.toolCall",
      { attributes: { "ai.operationId": "ai.toolCall", "ai.toolCall.name": "weather" } },
      trace.setSpan(context.active(), root),
    );
    await until(
      "a heartbeat",
      () => sent("ai.toolCall", true).length > 0 && sent("ai.generateText", true).length > 1,
    );
    expect(sent("ai.generateText", true).at(-1)?.attributes["flightrec.span.kind"]).toBe("run");
    call.end();
    root.end();
    await processor.forceFlush();
    exporter.reset();
    await sleep(HEARTBEAT_MS * 3);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("is the agent's outermost span in a request handler's trace; the request costs nothing", async () => {
    const request = tracer().startSpan("POST /chat", { attributes: { "http.method": "POST" } });
    const call = generateText(trace.setSpan(context.active(), request));
    const model = tracer().startSpan(
      "ai.generateText.doGenerate",
      { attributes: { "ai.operationId": "ai.generateText.doGenerate" } },
      trace.setSpan(context.active(), call),
    );
    await until("the call's placeholder", () => sent("ai.generateText", true).length > 0);
    expect(sent("ai.generateText", true)[0]?.attributes["flightrec.span.kind"]).toBe("run");
    model.end();
    call.end();
    request.end();
    await processor.forceFlush();
    expect(sent("POST /chat", true)).toEqual([]);
    expect(sent("ai.generateText.doGenerate", false)[0]?.attributes["flightrec.span.kind"]).toBeUndefined();
    // A later call in the same trace is a run again.
    const next = generateText(trace.setSpan(context.active(), request));
    await until("the next call's placeholder", () => sent("ai.generateText", true).length > 1);
    next.end();
  });

  it("is not a framework call inside a run of our own SDK", async () => {
    const own = tracer().startSpan("invoke_agent a", { attributes: { "flightrec.span.kind": "run" } });
    const call = generateText(trace.setSpan(context.active(), own));
    call.end();
    own.end();
    await processor.forceFlush();
    expect(sent("ai.generateText", true)).toEqual([]);
    expect(sent("ai.generateText", false)[0]?.attributes["flightrec.span.kind"]).toBeUndefined();
  });

  it("is the root of an instrumentation whose spans start bare, known by its tracer's name", async () => {
    const graph = provider
      .getTracer("@arizeai/openinference-instrumentation-langchain")
      .startSpan("LangGraph");
    await until("the graph's placeholder", () => sent("LangGraph", true).length > 0);
    expect(sent("LangGraph", true)[0]?.attributes["flightrec.span.kind"]).toBe("run");
    graph.end();
  });

  it("is not made of our own SDK's spans, whose attributes already say what they are", async () => {
    const llm = tracer().startSpan("chat gpt-4o", { attributes: { "flightrec.span.kind": "llm" } });
    llm.end();
    await processor.forceFlush();
    expect(sent("chat gpt-4o", false)[0]?.attributes["flightrec.span.kind"]).toBe("llm");
  });

  it("carries the reason when the process is stopped", async () => {
    const root = generateText();
    await processor.markInterrupted("SIGTERM");
    expect(sent("ai.generateText", true).at(-1)?.attributes["flightrec.run.interrupted"]).toBe("SIGTERM");
    expect((root as unknown as ReadableSpan).attributes["flightrec.run.interrupted"]).toBeUndefined();
    root.end();
  });
});
