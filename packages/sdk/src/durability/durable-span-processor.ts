import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  ATTR_HEARTBEAT_AT,
  ATTR_HEARTBEAT_INTERVAL_MS,
  ATTR_RUN_INTERRUPTED,
  ATTR_SPAN_KIND,
} from "../conventions.js";
import { SendQueue } from "../export/send-queue.js";
import { DeliveryLedger, type DeliveryStats } from "../fail-open.js";
import { setAckingProcessor, takeWaiter } from "./checkpoint-acks.js";
import { FrameworkRuns } from "./framework-runs.js";
import { copyOf, placeholderOf } from "./placeholder.js";

export interface DurableSpanProcessorOptions {
  /** Only sends: every span goes to it through one coalescing send queue. */
  exporter: SpanExporter;
  /** Period of the export tick (pending placeholders, spans nobody waits for), in ms. */
  exportIntervalMs: number;
  /** How often open spans are re-sent while a run is open, in ms. */
  heartbeatIntervalMs: number;
  /** Most spans waiting for export; beyond it finished spans are dropped and counted. Default 2048. */
  maxQueuedSpans?: number;
  /** Longest shutdown() waits for what is queued and in flight, in ms. Default 5000. */
  shutdownTimeoutMs?: number;
  /** Where spans go, for the one loss report (e.g. the collector's URL). */
  destination?: string;
}

export const DEFAULT_MAX_QUEUED_SPANS = 2_048;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

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
 *   after it has been open a whole interval (within two intervals), so that calls shorter
 *   than an interval never cost a placeholder;
 * - while a run is open, every open span is re-sent each heartbeat interval (the collector's
 *   liveness signal, and in-flight usage such as a stream's tokens), except in runs that had
 *   a step checkpointed since the last heartbeat (the collector just heard from them);
 * - a finished step somebody waits on goes out within the send queue's urgent window, with
 *   whatever else is ready, and the waiter learns the outcome; everything else at the tick.
 * The send queue coalesces and bounds the requests; the exporter only sends.
 *
 * Per span the cost is O(1) with no allocation: a start appends to a list the tick sorts
 * out, and a short call is never looked at again. Only spans that outlive a tick (and runs)
 * enter a set, so the many short calls never pay for hashing.
 */
export class DurableSpanProcessor implements SpanProcessor {
  /** Started since the last tick; may hold ended spans until the tick or a sweep. */
  private fresh: Span[] = [];
  private sweepAt = SWEEP_MIN;
  /** Started during the interval before the last tick and open at it: placeholders at the next. */
  private young: Span[] = [];
  /** Open spans whose placeholder was sent: runs at start, others once open a whole interval. */
  private readonly announced = new Set<Span>();
  /**
   * Traces (runs) with a checkpointed step since the last heartbeat: the collector just heard
   * from them, so the heartbeat skips them.
   */
  private checkpointed = new Set<string>();
  /** Runs of agents written with a framework: their traces' roots (see FrameworkRuns). */
  private readonly frameworkRuns: FrameworkRuns;
  private readonly ledger: DeliveryLedger;
  private readonly queue: SendQueue;
  private readonly tick: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: DurableSpanProcessorOptions) {
    validate(options);
    this.frameworkRuns = new FrameworkRuns(options.heartbeatIntervalMs);
    this.ledger = new DeliveryLedger(options.destination ?? "the exporter");
    this.queue = new SendQueue({
      exporter: options.exporter,
      ledger: this.ledger,
      maxQueued: options.maxQueuedSpans ?? DEFAULT_MAX_QUEUED_SPANS,
    });
    this.tick = setInterval(() => this.onTick(), options.exportIntervalMs).unref();
    this.heartbeat = setInterval(() => this.sendHeartbeat(), options.heartbeatIntervalMs).unref();
    active.add(this);
    setAckingProcessor(true);
  }

  /** Spans sent, failed and dropped so far. */
  get stats(): DeliveryStats {
    return this.ledger.stats;
  }

  onStart(span: Span, _parentContext: Context): void {
    if (this.stopped) return;
    if (isOwnRun(span)) span.setAttribute(ATTR_HEARTBEAT_INTERVAL_MS, this.options.heartbeatIntervalMs);
    if (this.frameworkRuns.onStart(span) || isOwnRun(span)) {
      this.announceRun(span);
      return;
    }
    this.fresh.push(span);
    if (this.fresh.length >= this.sweepAt) this.sweep();
  }

  onEnd(span: ReadableSpan): void {
    if (this.announced.size > 0) this.announced.delete(span as Span);
    const extras = this.frameworkRuns.onEnd(span);
    if (extras) {
      // A framework's run ended: sent at once, so that a process that exits right after keeps it.
      this.queue.add(copyOf(span, extras), undefined, true);
      return;
    }
    // A step waiting for its checkpoint: its children (model and tool calls) ended before it
    // and wait in the queue ahead of it, so they leave no later than the step, and the waiter
    // hears only once they were tried too: an acknowledged step never leaves its cost behind.
    const waiter = this.stopped ? undefined : takeWaiter(span.spanContext().spanId);
    if (waiter) this.checkpointed.add(span.spanContext().traceId);
    this.queue.add(span, waiter);
  }

  /** Marks every open run as interrupted and sends all open spans now (bounded by the caller). */
  async markInterrupted(reason: string): Promise<void> {
    for (const span of this.openSpans()) {
      if (isOwnRun(span)) span.setAttribute(ATTR_RUN_INTERRUPTED, reason);
    }
    this.frameworkRuns.markAll(ATTR_RUN_INTERRUPTED, reason);
    this.queueAll(this.announceAll());
    await this.queue.drain();
  }

  forceFlush(): Promise<void> {
    return this.queue.drain();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tick);
    clearInterval(this.heartbeat);
    active.delete(this);
    setAckingProcessor(false);
    await this.queue.close(this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
  }

  /**
   * The export tick: placeholders of the spans open since before the last tick (a whole
   * interval at least), then everything waiting.
   */
  private onTick(): void {
    const now = Date.now();
    for (const span of this.young) {
      if (span.ended || this.announced.has(span)) continue;
      this.announced.add(span);
      this.queue.add(this.placeholder(span, now));
    }
    this.young = this.fresh.filter((span) => !span.ended);
    this.fresh = [];
    this.sweepAt = SWEEP_MIN;
    this.queue.flush();
  }

  /** While a run is open: every open span again, but those of runs the collector just heard from. */
  private sendHeartbeat(): void {
    const heardFrom = this.checkpointed;
    this.checkpointed = new Set();
    if (this.frameworkRuns.size === 0 && ![...this.announced].some(isOwnRun)) return;
    const quiet = this.announceAll().filter((p) => !heardFrom.has(p.spanContext().traceId));
    this.queueAll(quiet);
    this.queue.flush();
  }

  private queueAll(spans: ReadableSpan[]): void {
    for (const span of spans) this.queue.add(span);
  }

  /** Drops ended spans from the fresh list; its bound doubles with what stays open. */
  private sweep(): void {
    this.fresh = this.fresh.filter((span) => !span.ended);
    this.sweepAt = Math.max(SWEEP_MIN, this.fresh.length * 2);
  }

  private openSpans(): Span[] {
    const open = (span: Span) => !span.ended && !this.announced.has(span);
    return [...this.announced, ...this.young.filter(open), ...this.fresh.filter(open)];
  }

  /** A run's placeholder goes out now, urgently: the collector learns of the run at its start. */
  private announceRun(span: Span): void {
    this.announced.add(span);
    this.queue.add(this.placeholder(span, Date.now()), undefined, true);
  }

  /** The span's placeholder, with what Flightrec adds to a framework's run. */
  private placeholder(span: Span, now: number): ReadableSpan {
    const extras = this.frameworkRuns.extrasOf(span);
    return placeholderOf(
      span,
      extras ? { ...extras, [ATTR_HEARTBEAT_AT]: now } : { [ATTR_HEARTBEAT_AT]: now },
    );
  }

  /** Placeholders of every open span, each now counted as announced. */
  private announceAll(): ReadableSpan[] {
    const now = Date.now();
    const out: ReadableSpan[] = [];
    for (const span of this.openSpans()) {
      this.announced.add(span);
      out.push(this.placeholder(span, now));
    }
    this.fresh = [];
    this.young = [];
    this.sweepAt = SWEEP_MIN;
    return out;
  }
}

/** A run span of our own SDK (`run()`); a framework's runs are FrameworkRuns'. */
function isOwnRun(span: ReadableSpan): boolean {
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
