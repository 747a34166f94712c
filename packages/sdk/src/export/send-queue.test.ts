import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { type ExportResult, ExportResultCode, isTracingSuppressed } from "@opentelemetry/core";
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { placeholderOf } from "../durability/placeholder.js";
import { DeliveryLedger } from "../fail-open.js";
import { type Ack, SendQueue, type SendQueueOptions } from "./send-queue.js";

/** An exporter whose requests stay open until the test answers them. */
class ControlledExporter implements SpanExporter {
  readonly requests: {
    spans: ReadableSpan[];
    answer: (result: ExportResult) => void;
    suppressed: boolean;
  }[] = [];
  autoAnswer: ExportResult | undefined;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.requests.push({ spans, answer: done, suppressed: isTracingSuppressed(context.active()) });
    if (this.autoAnswer) done(this.autoAnswer);
  }
  answer(index: number, result: ExportResult = { code: ExportResultCode.SUCCESS }): void {
    this.requests[index]!.answer(result);
  }
  async shutdown(): Promise<void> {}
}

const provider = new BasicTracerProvider();
const tracer = provider.getTracer("queue-test");
const finished = (name: string) => {
  const span = tracer.startSpan(name);
  span.end();
  return span as unknown as ReadableSpan;
};
const names = (spans: ReadableSpan[]) => spans.map((s) => s.name);
const failure = (code?: number | string): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: Object.assign(new Error(`failed with ${code}`), { code }),
});

let queues: SendQueue[] = [];
function queueWith(exporter: SpanExporter, options: Partial<SendQueueOptions> = {}) {
  const ledger = new DeliveryLedger("the test exporter");
  const queue = new SendQueue({ exporter, ledger, maxQueued: 100, urgentWindowMs: 1, ...options });
  queues.push(queue);
  return { queue, stats: ledger.stats };
}

/** An acknowledgement callback whose outcome the test can await. */
function ackSpy() {
  let ack!: Ack;
  const outcome = new Promise<{ acked: boolean; error?: unknown }>((resolve) => {
    ack = (acked, error) => resolve({ acked, error });
  });
  return { ack, outcome };
}

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(queues.map((q) => q.close(10)));
  queues = [];
});

describe("SendQueue", () => {
  it("sends what finished within the urgent window in one request, outside any trace", async () => {
    const exporter = new ControlledExporter();
    exporter.autoAnswer = { code: ExportResultCode.SUCCESS };
    const { queue, stats } = queueWith(exporter);
    const acks = Array.from({ length: 50 }, () => ackSpy());
    for (const [i, { ack }] of acks.entries()) queue.add(finished(`step ${i}`), ack);
    const outcomes = await Promise.all(acks.map((a) => a.outcome));
    expect(exporter.requests).toHaveLength(1);
    expect(exporter.requests[0]?.spans).toHaveLength(50);
    expect(exporter.requests[0]?.suppressed).toBe(true);
    expect(outcomes.every((o) => o.acked)).toBe(true);
    expect(stats).toEqual({ sent: 50, failed: 0, dropped: 0 });
  });

  it("lets the urgent window grow while many urgent spans arrive at once, and shrink after", () => {
    vi.useFakeTimers();
    const exporter = new ControlledExporter();
    exporter.autoAnswer = { code: ExportResultCode.SUCCESS };
    const { queue } = queueWith(exporter, { urgentWindowMs: 3, maxUrgentWindowMs: 100 });
    const urgent = (name: string) => queue.add(finished(name), undefined, true);
    urgent("a lone step");
    vi.advanceTimersByTime(3);
    expect(exporter.requests).toHaveLength(1);
    for (let i = 0; i < 80; i++) urgent(`step of run ${i}`);
    vi.advanceTimersByTime(3);
    expect(exporter.requests).toHaveLength(2);
    // 80 urgent spans shared the last window: the next one waits for others, up to 100 ms.
    urgent("next");
    vi.advanceTimersByTime(99);
    expect(exporter.requests).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(exporter.requests).toHaveLength(3);
    // That window held one urgent span: the next is short again.
    urgent("quiet again");
    vi.advanceTimersByTime(3);
    expect(exporter.requests).toHaveLength(4);
    vi.useRealTimers();
  });

  it("keeps spans nobody waits for until the flush", () => {
    const exporter = new ControlledExporter();
    const { queue } = queueWith(exporter);
    queue.add(finished("llm call"));
    expect(exporter.requests).toHaveLength(0);
    queue.flush();
    expect(names(exporter.requests[0]!.spans)).toEqual(["llm call"]);
  });

  it("replaces a waiting placeholder by its final span: one span in the request", () => {
    const exporter = new ControlledExporter();
    const { queue } = queueWith(exporter);
    const open = tracer.startSpan("run");
    queue.add(placeholderOf(open as unknown as ReadableSpan));
    queue.add(finished("before"));
    open.end();
    queue.add(open as unknown as ReadableSpan);
    queue.flush();
    const sent = exporter.requests[0]!.spans;
    expect(names(sent)).toEqual(["run", "before"]);
    expect(sent[0]?.ended).toBe(true);
  });

  it("keeps at most maxInFlight requests; the rest leave together when one settles", () => {
    const exporter = new ControlledExporter();
    const { queue } = queueWith(exporter, { maxInFlight: 2, maxBatch: 10 });
    for (let round = 0; round < 2; round++) {
      queue.add(finished(`early ${round}`));
      queue.flush();
    }
    for (let i = 0; i < 7; i++) queue.add(finished(`late ${i}`));
    queue.flush();
    expect(exporter.requests).toHaveLength(2);
    exporter.answer(0);
    expect(exporter.requests).toHaveLength(3);
    expect(exporter.requests[2]?.spans).toHaveLength(7);
  });

  it("sends a full batch without waiting for the flush", () => {
    const exporter = new ControlledExporter();
    const { queue } = queueWith(exporter, { maxBatch: 5 });
    for (let i = 0; i < 5; i++) queue.add(finished(`span ${i}`));
    expect(exporter.requests[0]?.spans).toHaveLength(5);
  });

  it("drops finished spans beyond the bound, counts them and reports once", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const exporter = new ControlledExporter();
    const { queue, stats } = queueWith(exporter, { maxQueued: 3, maxBatch: 10 });
    const { ack, outcome } = ackSpy();
    for (let i = 0; i < 5; i++) queue.add(finished(`span ${i}`));
    queue.add(finished("waited"), ack);
    expect(stats.dropped).toBe(3);
    expect(warn).toHaveBeenCalledOnce();
    return expect(outcome).resolves.toMatchObject({ acked: false });
  });

  it("acknowledges a span only once the spans queued before it were tried", async () => {
    const exporter = new ControlledExporter();
    const { queue } = queueWith(exporter, { maxBatch: 1 });
    queue.add(finished("child"));
    queue.flush();
    const { ack, outcome } = ackSpy();
    queue.add(finished("step"), ack);
    queue.flush();
    let heard = false;
    void outcome.then(() => {
      heard = true;
    });
    exporter.answer(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toBe(false);
    exporter.answer(0);
    expect(await outcome).toEqual({ acked: true, error: undefined });
  });

  it("tells the waiter of a failure at once, with its reason, and tries the span again later", async () => {
    const exporter = new ControlledExporter();
    const { queue, stats } = queueWith(exporter);
    const { ack, outcome } = ackSpy();
    queue.add(finished("step"), ack);
    queue.flush();
    exporter.answer(0, failure("ECONNREFUSED"));
    expect(await outcome).toMatchObject({ acked: false, error: { code: "ECONNREFUSED" } });
    queue.flush(Date.now() + 60_000);
    expect(names(exporter.requests[1]!.spans)).toEqual(["step"]);
    exporter.answer(1);
    expect(stats).toEqual({ sent: 1, failed: 0, dropped: 0 });
  });

  it("does not try again what the collector refused as malformed", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const exporter = new ControlledExporter();
    const { queue, stats } = queueWith(exporter);
    queue.add(finished("bad"));
    queue.flush();
    exporter.answer(0, failure(400));
    queue.flush(Date.now() + 60_000);
    expect(exporter.requests).toHaveLength(1);
    expect(stats.failed).toBe(1);
  });

  it("gives a span up after its last try and counts it failed", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const exporter = new ControlledExporter();
    exporter.autoAnswer = failure(503);
    const { queue, stats } = queueWith(exporter);
    queue.add(finished("unlucky"));
    for (let hour = 0; hour < 10; hour++) queue.flush(Date.now() + hour * 3_600_000);
    expect(exporter.requests).toHaveLength(6);
    expect(stats).toEqual({ sent: 1, failed: 1, dropped: 0 });
  });

  it("close() gives up at once on a collector that never answered", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const exporter = new ControlledExporter();
    exporter.autoAnswer = failure("ECONNREFUSED");
    const { queue, stats } = queueWith(exporter);
    queue.add(finished("last"));
    await queue.close(60_000);
    expect(exporter.requests).toHaveLength(1);
    expect(stats).toEqual({ sent: 1, failed: 1, dropped: 0 });
  });

  it("close() keeps trying a collector that answered before (it is restarting), within its bound", async () => {
    const exporter = new ControlledExporter();
    exporter.autoAnswer = { code: ExportResultCode.SUCCESS };
    const { queue, stats } = queueWith(exporter);
    queue.add(finished("first"));
    await queue.drain();
    exporter.autoAnswer = undefined;
    queue.add(finished("during the restart"));
    const closed = queue.close(60_000);
    await vi.waitFor(() => expect(exporter.requests).toHaveLength(2));
    exporter.answer(1, failure("ECONNREFUSED"));
    await vi.waitFor(() => expect(exporter.requests).toHaveLength(3), { timeout: 5_000 });
    exporter.answer(2);
    await closed;
    expect(stats).toEqual({ sent: 2, failed: 0, dropped: 0 });
  });

  it("close() ends at its bound while a request hangs, and counts what was not sent", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const exporter = new ControlledExporter();
    const { queue, stats } = queueWith(exporter, { maxInFlight: 1, maxBatch: 1 });
    queue.add(finished("hanging"));
    queue.add(finished("behind it"));
    await queue.close(20);
    expect(exporter.requests).toHaveLength(1);
    expect(stats.failed).toBe(1);
  });
});
