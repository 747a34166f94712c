import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { expectAck } from "./checkpoint-acks.js";
import { DurableSpanProcessor } from "./durable-span-processor.js";

const TICK_MS = 20;
const HEARTBEAT_MS = 50;

let exporter: InMemorySpanExporter;
let processor: DurableSpanProcessor;
let provider: BasicTracerProvider;

beforeEach(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  exporter = new InMemorySpanExporter();
  processor = new DurableSpanProcessor({
    exporter,
    exportIntervalMs: TICK_MS,
    heartbeatIntervalMs: HEARTBEAT_MS,
    maxQueuedSpans: 10_000,
  });
  provider = new BasicTracerProvider({ spanProcessors: [processor] });
});

afterEach(async () => {
  await provider.shutdown();
  context.disable();
});

const tracer = () => provider.getTracer("test");

/** Replaces the processor by one whose export tick and heartbeat never come during a test. */
async function withTickFarAway(): Promise<void> {
  await provider.shutdown();
  exporter = new InMemorySpanExporter();
  processor = new DurableSpanProcessor({ exporter, exportIntervalMs: 60_000, heartbeatIntervalMs: 60_000 });
  provider = new BasicTracerProvider({ spanProcessors: [processor] });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pending = (spans: ReadableSpan[], name: string) =>
  spans.filter((s) => s.name === name && s.attributes["flightrec.span.pending"] === true);
const finals = (spans: ReadableSpan[]) => spans.filter((s) => s.ended).map((s) => s.name);

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await sleep(5);
  if (!check()) throw new Error(`never happened: ${what}`);
}

describe("DurableSpanProcessor", () => {
  it("sends a run's placeholder when it starts, with its attributes and the heartbeat interval", async () => {
    // An export tick far away: the placeholder must not wait for it.
    await withTickFarAway();
    const run = tracer().startSpan("invoke_agent a", { attributes: { "flightrec.span.kind": "run", x: 1 } });
    await until("the placeholder", () => pending(exporter.getFinishedSpans(), "invoke_agent a").length > 0);
    const [placeholder] = pending(exporter.getFinishedSpans(), "invoke_agent a");
    expect(placeholder?.spanContext().spanId).toBe(run.spanContext().spanId);
    expect(placeholder?.attributes).toMatchObject({ x: 1, "flightrec.heartbeat.interval_ms": 60_000 });
    run.end();
  });

  it("sends nothing extra for a span that ends before the next tick", async () => {
    tracer().startSpan("quick").end();
    await until("the tick", () => exporter.getFinishedSpans().length > 0);
    await sleep(TICK_MS * 2);
    expect(pending(exporter.getFinishedSpans(), "quick")).toEqual([]);
    expect(finals(exporter.getFinishedSpans())).toEqual(["quick"]);
  });

  describe("on a clock the test moves", () => {
    const INTERVAL = 200;
    let own: BasicTracerProvider;
    let sent: InMemorySpanExporter;
    beforeEach(() => {
      vi.useFakeTimers();
      sent = new InMemorySpanExporter();
      const p = new DurableSpanProcessor({
        exporter: sent,
        exportIntervalMs: INTERVAL,
        heartbeatIntervalMs: 5 * INTERVAL,
      });
      own = new BasicTracerProvider({ spanProcessors: [p] });
    });
    afterEach(async () => {
      const closed = own.shutdown();
      await vi.advanceTimersByTimeAsync(10_000);
      await closed;
      vi.useRealTimers();
    });

    it("gives no placeholder to a call shorter than an export interval, even across a tick", () => {
      vi.advanceTimersByTime(INTERVAL - 10);
      const call = own.getTracer("t").startSpan("tool call");
      vi.advanceTimersByTime(INTERVAL - 20); // a tick falls in the middle of the call
      call.end();
      vi.advanceTimersByTime(3 * INTERVAL);
      expect(pending(sent.getFinishedSpans(), "tool call")).toEqual([]);
      expect(finals(sent.getFinishedSpans())).toEqual(["tool call"]);
    });

    it("gives a placeholder to a call open a whole interval, at the tick after", () => {
      vi.advanceTimersByTime(10);
      const call = own.getTracer("t").startSpan("llm call");
      vi.advanceTimersByTime(2 * INTERVAL - 30); // past one tick, before the second
      expect(pending(sent.getFinishedSpans(), "llm call")).toEqual([]);
      vi.advanceTimersByTime(40);
      expect(pending(sent.getFinishedSpans(), "llm call")).toHaveLength(1);
      call.end();
    });

    it("leaves out of the heartbeat the runs that just had a step checkpointed", async () => {
      const t = own.getTracer("t");
      const busy = t.startSpan("invoke_agent busy", { attributes: { "flightrec.span.kind": "run" } });
      const quiet = t.startSpan("invoke_agent quiet", { attributes: { "flightrec.span.kind": "run" } });
      const busyContext = trace.setSpan(context.active(), busy);
      vi.advanceTimersByTime(4 * INTERVAL);
      const step = t.startSpan("step", {}, busyContext);
      void expectAck(step.spanContext().spanId);
      step.end();
      sent.reset();
      vi.advanceTimersByTime(INTERVAL); // the heartbeat
      expect(pending(sent.getFinishedSpans(), "invoke_agent quiet")).toHaveLength(1);
      expect(pending(sent.getFinishedSpans(), "invoke_agent busy")).toEqual([]);
      vi.advanceTimersByTime(5 * INTERVAL); // the next one: nothing checkpointed since
      expect(pending(sent.getFinishedSpans(), "invoke_agent busy")).toHaveLength(1);
      busy.end();
      quiet.end();
    });
  });

  it("sends a placeholder with the input so far for a span still open at the tick", async () => {
    const slow = tracer().startSpan("slow");
    slow.setAttribute("flightrec.step.input", '{"to":"a@b.c"}');
    await until("the placeholder", () => pending(exporter.getFinishedSpans(), "slow").length > 0);
    expect(pending(exporter.getFinishedSpans(), "slow")[0]?.attributes["flightrec.step.input"]).toBe(
      '{"to":"a@b.c"}',
    );
    slow.end();
    await processor.forceFlush();
    expect(finals(exporter.getFinishedSpans())).toEqual(["slow"]);
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

  it("exports a step somebody waits on without waiting for the tick, with what ended before it, and acknowledges it", async () => {
    await withTickFarAway();
    const step = tracer().startSpan("checkpointed");
    tracer().startSpan("llm call").end();
    const ack = expectAck(step.spanContext().spanId);
    step.end();
    expect(await ack).toEqual({ acked: true });
    expect(finals(exporter.getFinishedSpans())).toEqual(["llm call", "checkpointed"]);
  });

  it("reports a failed export to the waiter at once and tries the span again later", async () => {
    const failing = new InMemorySpanExporter();
    await failing.shutdown(); // an exporter that is shut down answers every export with failure
    const tries = vi.spyOn(failing, "export");
    const p = new DurableSpanProcessor({
      exporter: failing,
      exportIntervalMs: TICK_MS,
      heartbeatIntervalMs: HEARTBEAT_MS,
    });
    const own = new BasicTracerProvider({ spanProcessors: [p] });
    const step = own.getTracer("t").startSpan("unacked");
    const ack = expectAck(step.spanContext().spanId);
    step.end();
    expect(await ack).toMatchObject({ acked: false });
    expect(p.stats).toMatchObject({ sent: 1, failed: 0 });
    await until("the second try", () => tries.mock.calls.length >= 2);
    expect(tries.mock.calls[1]?.[0].map((s) => s.name)).toEqual(["unacked"]);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await own.shutdown();
    expect(p.stats).toMatchObject({ sent: 1, failed: 1 });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
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
