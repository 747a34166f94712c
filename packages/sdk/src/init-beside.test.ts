import { type ProxyTracerProvider, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { flush, init, shutdown } from "./init.js";
import { run } from "./run.js";

describe("init beside an app's own tracer provider", () => {
  const appExporter = new InMemorySpanExporter();
  const appProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(appExporter)] });
  const ours = new InMemorySpanExporter();
  afterAll(() => shutdown());
  const globalProvider = () => (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();

  it("keeps the app's provider global, records ours separately, and registers nothing twice", async () => {
    expect(trace.setGlobalTracerProvider(appProvider)).toBe(true);
    init({ exporter: ours, handleProcessEvents: false });
    init({ exporter: new InMemorySpanExporter(), handleProcessEvents: false });
    expect(globalProvider()).toBe(appProvider);

    trace.getTracer("app").startSpan("app-span").end();
    await run("agent", { runId: "beside-1" }, async () => "ok");
    await flush();
    expect(appExporter.getFinishedSpans().map((s) => s.name)).toEqual(["app-span"]);
    const final = ours.getFinishedSpans().filter((s) => s.attributes["flightrec.span.pending"] !== true);
    expect(final.map((s) => s.name)).toEqual(["invoke_agent agent"]);

    await shutdown();
    expect(globalProvider()).toBe(appProvider);
  });
});
