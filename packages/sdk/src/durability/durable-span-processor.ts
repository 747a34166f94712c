import type { Context } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  ATTR_HEARTBEAT_AT,
  ATTR_HEARTBEAT_INTERVAL_MS,
  ATTR_RUN_INTERRUPTED,
  ATTR_SPAN_KIND,
} from "../conventions.js";
import { setAckingProcessor, takeWaiter } from "./checkpoint-acks.js";
import { placeholderOf } from "./placeholder.js";

export interface DurableSpanProcessorOptions {
  /** Sends spans; the same exporter the batch processor uses. */
  exporter: SpanExporter;
  /** Handles every finished span nobody waits for (batching, retries of its own). */
  batch: SpanProcessor;
  /** Period of the pending-span tick, in ms. */
  exportIntervalMs: number;
  /** How often open spans are re-sent while a run is open, in ms. */
  heartbeatIntervalMs: number;
}

/** Fewest entries the list of fresh spans grows to before ended ones are swept out. */
const SWEEP_MIN = 1_024;

const active = new Set<DurableSpanProcessor>();

/** Every installed durable processor, for the process hooks (SIGTERM, uncaught exception). */
export function durableProcessors(): ReadonlySet<DurableSpanProcessor> {
  return active;
}

/**
 * Decides when spans are sent so that a killed agent leaves a usable record:
 * - a run span's placeholder goes out when it starts; any other span's at the first tick
 *   it is still open (short calls cost nothing extra);
 * - while a run is open, every open span is re-sent each heartbeat interval (the collector's
 *   liveness signal, and in-flight usage such as a stream's tokens);
 * - a finished step somebody waits on is exported at once and the waiter learns the outcome;
 *   everything else goes through the batch processor.
 * The exporter only sends.
 *
 * Per span the cost is O(1) with no allocation: a start appends to a list the tick sorts
 * out, and a short call is never looked at again. Only spans that outlive a tick (and runs)
 * enter a set, so the many short calls never pay for hashing.
 */
export class DurableSpanProcessor implements SpanProcessor {
  /** Started since the last tick; may hold ended spans until the tick or a sweep. */
  private fresh: Span[] = [];
  private sweepAt = SWEEP_MIN;
  /** Open spans whose placeholder was sent: runs at start, others at their first tick. */
  private readonly announced = new Set<Span>();
  private readonly inFlight = new Set<Promise<boolean>>();
  private readonly tick: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: DurableSpanProcessorOptions) {
    validate(options);
    this.tick = setInterval(() => this.sendNewPlaceholders(), options.exportIntervalMs).unref();
    this.heartbeat = setInterval(() => this.sendHeartbeat(), options.heartbeatIntervalMs).unref();
    active.add(this);
    setAckingProcessor(true);
  }

  onStart(span: Span, parentContext: Context): void {
    this.options.batch.onStart(span, parentContext);
    if (this.stopped) return;
    if (isRun(span)) {
      span.setAttribute(ATTR_HEARTBEAT_INTERVAL_MS, this.options.heartbeatIntervalMs);
      this.announced.add(span);
      void this.send([placeholderOf(span, { [ATTR_HEARTBEAT_AT]: Date.now() })]);
      return;
    }
    this.fresh.push(span);
    if (this.fresh.length >= this.sweepAt) this.sweep();
  }

  onEnd(span: ReadableSpan): void {
    if (this.announced.size > 0) this.announced.delete(span as Span);
    const waiter = this.stopped ? undefined : takeWaiter(span.spanContext().spanId);
    if (!waiter) {
      this.options.batch.onEnd(span);
      return;
    }
    // The step's children (model and tool calls) ended before it and wait in the batch:
    // send them now too, so an acknowledged step never leaves its cost behind.
    const children = this.options.batch.forceFlush().catch(() => {});
    void Promise.all([this.send([span]), children]).then(([acked]) => {
      waiter(acked);
      // Not lost: the batch processor tries again on its own schedule.
      if (!acked) this.options.batch.onEnd(span);
    });
  }

  /** Marks every open run as interrupted and sends all open spans now (bounded by the caller). */
  async markInterrupted(reason: string): Promise<void> {
    for (const span of this.openSpans()) {
      if (isRun(span)) span.setAttribute(ATTR_RUN_INTERRUPTED, reason);
    }
    await this.send(this.announceAll());
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.inFlight]);
    await this.options.batch.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tick);
    clearInterval(this.heartbeat);
    active.delete(this);
    setAckingProcessor(false);
    await Promise.all([...this.inFlight]);
    await this.options.batch.shutdown();
  }

  private sendNewPlaceholders(): void {
    const now = Date.now();
    const out: ReadableSpan[] = [];
    for (const span of this.fresh) {
      if (span.ended) continue;
      this.announced.add(span);
      out.push(placeholderOf(span, { [ATTR_HEARTBEAT_AT]: now }));
    }
    this.fresh = [];
    this.sweepAt = SWEEP_MIN;
    if (out.length > 0) void this.send(out);
  }

  private sendHeartbeat(): void {
    for (const span of this.announced) {
      if (isRun(span)) {
        void this.send(this.announceAll());
        return;
      }
    }
  }

  /** Drops ended spans from the fresh list; its bound doubles with what stays open. */
  private sweep(): void {
    this.fresh = this.fresh.filter((span) => !span.ended);
    this.sweepAt = Math.max(SWEEP_MIN, this.fresh.length * 2);
  }

  private openSpans(): Span[] {
    return [...this.announced, ...this.fresh.filter((span) => !span.ended)];
  }

  /** Placeholders of every open span, each now counted as announced. */
  private announceAll(): ReadableSpan[] {
    const now = Date.now();
    const out: ReadableSpan[] = [];
    for (const span of this.openSpans()) {
      this.announced.add(span);
      out.push(placeholderOf(span, { [ATTR_HEARTBEAT_AT]: now }));
    }
    this.fresh = [];
    this.sweepAt = SWEEP_MIN;
    return out;
  }

  /** Exports and reports success; never throws. */
  private send(spans: ReadableSpan[]): Promise<boolean> {
    if (spans.length === 0) return Promise.resolve(true);
    const done = new Promise<boolean>((resolve) => {
      try {
        this.options.exporter.export(spans, (result) => resolve(result.code === ExportResultCode.SUCCESS));
      } catch {
        resolve(false);
      }
    });
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
    return done;
  }
}

function isRun(span: ReadableSpan): boolean {
  return span.attributes[ATTR_SPAN_KIND] === "run";
}

function validate(options: DurableSpanProcessorOptions): void {
  for (const key of ["exportIntervalMs", "heartbeatIntervalMs"] as const) {
    const value = options[key];
    if (!Number.isFinite(value) || value <= 0) {
      throw new TypeError(`flightrec: ${key} must be a positive number of milliseconds, got ${value}`);
    }
  }
}
