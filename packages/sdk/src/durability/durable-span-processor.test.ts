import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectAck } from "./checkpoint-acks.js";
import { DurableSpanProcessor } from "./durable-span-processor.js";

const TICK_MS = 20;
const HEARTBEAT_MS = 50;

let exporter: InMemorySpanExporter;
let batched: InMemorySpanExporter;
let processor: DurableSpanProcessor;
let provider: BasicTracerProvider;

beforeEach(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  exporter = new InMemorySpanExporter();
  batched = new InMemorySpanExporter();
  processor = new DurableSpanProcessor({
    exporter,
    batch: new SimpleSpanProcessor(batched),
    exportIntervalMs: TICK_MS,
    heartbeatIntervalMs: HEARTBEAT_MS,
  });
  provider = new BasicTracerProvider({ spanProcessors: [processor] });
});

afterEach(async () => {
  await provider.shutdown();
  context.disable();
});

const tracer = () => provider.getTracer("test");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pending = (spans: ReadableSpan[], name: string) =>
  spans.filter((s) => s.name === name && s.attributes["flightrec.span.pending"] === true);

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await sleep(5);
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe("DurableSpanProcessor", () => {
  it("sends a run's placeholder the moment it starts, with its attributes and the heartbeat interval", () => {
    const run = tracer().startSpan("invoke_agent a", { attributes: { "flightrec.span.kind": "run", x: 1 } });
    const [placeholder] = pending(exporter.getFinishedSpans(), "invoke_agent a");
    expect(placeholder?.spanContext().spanId).toBe(run.spanContext().spanId);
    expect(placeholder?.attributes).toMatchObject({ x: 1, "flightrec.heartbeat.interval_ms": HEARTBEAT_MS });
    run.end();
  });

  it("sends nothing extra for a span that ends before the next tick", async () => {
    tracer().startSpan("quick").end();
    await sleep(TICK_MS * 3);
    expect(pending(exporter.getFinishedSpans(), "quick")).toEqual([]);
    expect(batched.getFinishedSpans().map((s) => s.name)).toEqual(["quick"]);
  });

  it("sends a placeholder with the input so far for a span still open at the tick", async () => {
    const slow = tracer().startSpan("slow");
    slow.setAttribute("flightrec.step.input", '{"to":"a@b.c"}');
    await until("the placeholder", () => pending(exporter.getFinishedSpans(), "slow").length > 0);
    expect(pending(exporter.getFinishedSpans(), "slow")[0]?.attributes["flightrec.step.input"]).toBe(
      '{"to":"a@b.c"}',
    );
    slow.end();
    expect(batched.getFinishedSpans().map((s) => s.name)).toEqual(["slow"]);
  });

  it("keeps a long call's placeholder while thousands of short calls start and end around it", async () => {
    const slow = tracer().startSpan("long");
    for (let i = 0; i < 5_000; i++) tracer().startSpan("short").end();
    const late = tracer().startSpan("late");
    await until("the placeholders", () => pending(exporter.getFinishedSpans(), "late").length > 0);
    expect(pending(exporter.getFinishedSpans(), "long")).toHaveLength(1);
    expect(pending(exporter.getFinishedSpans(), "short")).toEqual([]);
    slow.end();
    late.end();
  });

  it("re-sends open spans as the heartbeat while a run is open, and stops when it ends", async () => {
    const run = tracer().startSpan("invoke_agent b", { attributes: { "flightrec.span.kind": "run" } });
    await until("two heartbeats", () => pending(exporter.getFinishedSpans(), "invoke_agent b").length >= 3);
    run.end();
    await processor.forceFlush();
    const count = pending(exporter.getFinishedSpans(), "invoke_agent b").length;
    await sleep(HEARTBEAT_MS * 3);
    expect(pending(exporter.getFinishedSpans(), "invoke_agent b").length).toBe(count);
  });

  it("exports a step somebody waits on at once and acknowledges it", async () => {
    const step = tracer().startSpan("checkpointed");
    const ack = expectAck(step.spanContext().spanId);
    step.end();
    expect(await ack).toBe(true);
    const finals = exporter.getFinishedSpans().filter((s) => s.name === "checkpointed" && s.ended);
    expect(finals).toHaveLength(1);
    expect(batched.getFinishedSpans()).toEqual([]);
  });

  it("reports a failed export to the waiter and hands the span to the batch", async () => {
    const failing = new InMemorySpanExporter();
    await failing.shutdown(); // an exporter that is shut down answers every export with failure
    const p = new DurableSpanProcessor({
      exporter: failing,
      batch: new SimpleSpanProcessor(batched),
      exportIntervalMs: TICK_MS,
      heartbeatIntervalMs: HEARTBEAT_MS,
    });
    const own = new BasicTracerProvider({ spanProcessors: [p] });
    const step = own.getTracer("t").startSpan("unacked");
    const ack = expectAck(step.spanContext().spanId);
    step.end();
    expect(await ack).toBe(false);
    expect(batched.getFinishedSpans().map((s) => s.name)).toEqual(["unacked"]);
    await own.shutdown();
  });

  it("marks open runs interrupted with the reason and sends every open span", async () => {
    const run = tracer().startSpan("invoke_agent c", { attributes: { "flightrec.span.kind": "run" } });
    trace.setSpan(context.active(), run);
    const child = tracer().startSpan("send_email", {}, trace.setSpan(context.active(), run));
    exporter.reset();
    await processor.markInterrupted("SIGTERM");
    const sent = exporter.getFinishedSpans();
    expect(sent.map((s) => s.name).sort()).toEqual(["invoke_agent c", "send_email"]);
    expect(sent.find((s) => s.name === "invoke_agent c")?.attributes["flightrec.run.interrupted"]).toBe(
      "SIGTERM",
    );
    child.end();
    run.end();
  });
});
