import { context } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode, suppressTracing } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { DeliveryLedger } from "../fail-open.js";
import { RetrySchedule } from "./retry-schedule.js";

export interface SendQueueOptions {
  exporter: SpanExporter;
  /** Counts what is sent and lost, and reports the first loss. */
  ledger: DeliveryLedger;
  /** Most spans waiting to be sent; beyond it finished spans are dropped and counted. */
  maxQueued: number;
  /** Most spans in one request. Default 512. */
  maxBatch?: number;
  /** Most requests in flight at once. Default 4. */
  maxInFlight?: number;
  /** How long an urgent span waits for others to share its request, in ms. Default 3. */
  urgentWindowMs?: number;
  /** The longest the urgent window grows to while many urgent spans arrive at once, in ms. Default 100. */
  maxUrgentWindowMs?: number;
}

/**
 * Told whether the request holding the span was acknowledged (else why not), once every span
 * added before it was tried too.
 */
export type Ack = (acked: boolean, error?: unknown) => void;

/** Someone waiting until every span up to `seq` has settled (an acknowledgement or a drain). */
interface Barrier {
  seq: number;
  acked: boolean;
  error?: unknown;
  resolve: Ack;
}

/** A request in flight: the spans numbered [from, to). */
interface Request {
  from: number;
  to: number;
}

export const DEFAULT_MAX_BATCH = 512;
export const DEFAULT_MAX_IN_FLIGHT = 4;
export const DEFAULT_URGENT_WINDOW_MS = 3;
export const DEFAULT_MAX_URGENT_WINDOW_MS = 100;
/** What each urgent span of the last window adds to the next one, in ms. */
const WINDOW_PER_URGENT_SPAN_MS = 2;

/**
 * The one way spans leave the process: a bounded FIFO that coalesces them into few requests.
 * - Spans wait until a flush (the export tick), until a batch is full, or — when one is urgent
 *   (a step waiting for its checkpoint, a run starting) — for a window of a few ms, so that
 *   whatever finishes meanwhile shares its request. With many runs at once (an agent server)
 *   the window grows by 2 ms for each urgent span of the last one, up to `maxUrgentWindowMs`:
 *   each request then carries a step of each of many runs, which spares the collector most of
 *   its cost per request, while a lone agent's steps still wait only a few ms.
 * - At most `maxInFlight` requests are in flight; the rest wait in the queue and leave together
 *   as soon as a request settles, so under load requests grow instead of multiplying.
 * - A placeholder still waiting is replaced by its span's newer placeholder or by the final
 *   span: a span that ends before its placeholder left is sent once, not twice.
 * - A failed request settles its waiters at once (a refused connection is an answer); its
 *   finished spans are tried again in the background (RetrySchedule), unless the collector
 *   refused them as malformed, and count as failed once given up.
 * - close() sends what waits within its bound. A collector that has answered before and now
 *   refuses is most likely restarting, so its spans are tried again until the bound; one that
 *   never answered is not there, and nothing waits for it.
 *
 * Invariant: every span added gets the next sequence number; spans leave in that order, so
 * the queue holds [taken, taken + waiting.length) and each request a contiguous range.
 */
export class SendQueue {
  private waiting: ReadableSpan[] = [];
  /** Sequence number of waiting[0]. */
  private taken = 0;
  /** Placeholders still waiting, by span ID, at their sequence number. */
  private readonly placeholderAt = new Map<string, number>();
  private readonly retries = new RetrySchedule();
  /** Some request was acknowledged since the queue started. */
  private reachable = false;
  private readonly inFlight: Request[] = [];
  private barriers: Barrier[] = [];
  /** A flush was asked for: send whatever waits, as fast as slots free up. */
  private flushing = false;
  private pumping = false;
  private urgentTimer: NodeJS.Timeout | undefined;
  /** Urgent spans added since the urgent window last closed. */
  private urgentSpans = 0;
  private nextWindowMs: number;
  private closed = false;
  private aborted = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly urgentWindowMs: number;
  private readonly maxUrgentWindowMs: number;

  constructor(private readonly options: SendQueueOptions) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.urgentWindowMs = options.urgentWindowMs ?? DEFAULT_URGENT_WINDOW_MS;
    this.maxUrgentWindowMs = Math.max(
      this.urgentWindowMs,
      options.maxUrgentWindowMs ?? DEFAULT_MAX_URGENT_WINDOW_MS,
    );
    this.nextWindowMs = this.urgentWindowMs;
    const counts = { maxQueued: options.maxQueued, maxBatch: this.maxBatch, maxInFlight: this.maxInFlight };
    for (const [key, value] of Object.entries(counts)) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new TypeError(`flightrec: ${key} must be a positive integer, got ${value}`);
      }
    }
    if (!(this.urgentWindowMs >= 0)) {
      throw new TypeError(`flightrec: urgentWindowMs must be a number >= 0, got ${this.urgentWindowMs}`);
    }
  }

  /**
   * Queues a placeholder (`ended: false`) or a finished span. `ack` hears whether its request
   * was acknowledged; an acknowledged or urgent span is sent within the urgent window.
   */
  add(span: ReadableSpan, ack?: Ack, urgent = ack !== undefined): void {
    if (this.closed) {
      ack?.(false, new Error("the exporter is shut down"));
      return;
    }
    const seq = this.place(span);
    if (seq === undefined) {
      if (span.ended) this.options.ledger.dropped(1);
      ack?.(false, new Error("export queue full"));
      return;
    }
    if (ack) this.barriers.push({ seq, acked: false, resolve: ack });
    if (urgent) {
      this.urgentSpans++;
      this.flushSoon();
    } else if (this.waiting.length >= this.maxBatch) this.pump();
  }

  /** Sends everything waiting now, and the retries that are due (the export tick). */
  flush(now = Date.now()): void {
    if (this.urgentTimer) this.closeUrgentWindow();
    if (this.retries.size > 0) this.requeue(this.retries.takeDue(now));
    if (this.waiting.length > 0) this.flushing = true;
    this.pump();
  }

  /** Resolves once every span added so far was tried (acknowledged or not). Never rejects. */
  drain(): Promise<void> {
    this.flush();
    const last = this.taken + this.waiting.length - 1;
    if (last < this.lowestUnsettled()) return Promise.resolve();
    return new Promise((resolve) =>
      this.barriers.push({ seq: last, acked: false, resolve: () => resolve() }),
    );
  }

  /**
   * Takes no more spans, sends what waits (retries included, at once) and waits for it, at
   * most `withinMs`; then shuts the exporter down, which abandons requests still in flight.
   */
  async close(withinMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
    });
    await Promise.race([this.sendAll(), bound]);
    clearTimeout(timer);
    this.aborted = true;
    const left = this.waiting.filter((span) => span.ended).length + this.retries.takeDue(Infinity).length;
    this.waiting = [];
    if (left > 0) this.options.ledger.failed(left, new Error(`not sent within ${withinMs} ms of shutdown`));
    await this.options.exporter.shutdown().catch(() => {});
  }

  private async sendAll(): Promise<void> {
    this.flush(Number.POSITIVE_INFINITY);
    for (;;) {
      await this.drain();
      if (this.waiting.length === 0 && this.inFlight.length === 0 && this.retries.size === 0) return;
      const wait = this.retries.nextDueAt() - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
    }
  }

  /** Puts the span in the queue; its sequence number, or undefined when the queue is full. */
  private place(span: ReadableSpan): number | undefined {
    const id = span.spanContext().spanId;
    if (this.placeholderAt.size > 0) {
      const at = this.placeholderAt.get(id);
      if (at !== undefined) {
        this.waiting[at - this.taken] = span;
        if (span.ended) this.placeholderAt.delete(id);
        return at;
      }
    }
    if (this.waiting.length >= this.options.maxQueued) return undefined;
    const seq = this.taken + this.waiting.length;
    this.waiting.push(span);
    if (!span.ended) this.placeholderAt.set(id, seq);
    return seq;
  }

  private flushSoon(): void {
    if (this.flushing || this.urgentTimer) return;
    // Not unref'd: a step waiting for its acknowledgement may be all that keeps the process busy.
    this.urgentTimer = setTimeout(() => this.flush(), this.nextWindowMs);
  }

  /** The urgent window closed: the next one is as long as this one was busy. */
  private closeUrgentWindow(): void {
    clearTimeout(this.urgentTimer);
    this.urgentTimer = undefined;
    const busy = this.urgentSpans * WINDOW_PER_URGENT_SPAN_MS;
    this.nextWindowMs = Math.min(this.maxUrgentWindowMs, Math.max(this.urgentWindowMs, busy));
    this.urgentSpans = 0;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (
        this.inFlight.length < this.maxInFlight &&
        this.waiting.length > 0 &&
        (this.flushing || this.waiting.length >= this.maxBatch)
      ) {
        this.send(this.takeBatch());
      }
      if (this.waiting.length === 0) this.flushing = false;
    } finally {
      this.pumping = false;
    }
  }

  private takeBatch(): { spans: ReadableSpan[]; request: Request } {
    const spans = this.waiting.splice(0, this.maxBatch);
    const request = { from: this.taken, to: this.taken + spans.length };
    this.taken = request.to;
    if (this.placeholderAt.size > 0) {
      for (const span of spans) if (!span.ended) this.placeholderAt.delete(span.spanContext().spanId);
    }
    return { spans, request };
  }

  private send({ spans, request }: { spans: ReadableSpan[]; request: Request }): void {
    this.inFlight.push(request);
    let fresh = 0;
    for (const span of spans) if (span.ended && !this.retries.isRetry(span)) fresh++;
    this.options.ledger.sent(fresh);
    let settled = false;
    const done = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      this.settle(request, spans, result);
    };
    try {
      // The exporter's own HTTP calls must not be traced (and exported, and traced…).
      context.with(suppressTracing(context.active()), () => this.options.exporter.export(spans, done));
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  private settle(request: Request, spans: ReadableSpan[], result: ExportResult): void {
    this.inFlight.splice(this.inFlight.indexOf(request), 1);
    const acked = result.code === ExportResultCode.SUCCESS;
    if (acked) this.reachable = true;
    else this.onFailure(spans, result.error);
    this.settleBarriers(request, acked, result.error);
    this.pump();
  }

  private onFailure(spans: ReadableSpan[], error: unknown): void {
    // While closing, a collector that never answered is not waited for.
    const retry = !this.aborted && worthRetrying(error) && (!this.closed || this.reachable);
    const lost = this.retries.failed(spans, retry, Date.now());
    if (lost > 0) this.options.ledger.failed(lost, error);
  }

  private requeue(spans: ReadableSpan[]): void {
    let lost = 0;
    for (const span of spans) if (this.place(span) === undefined) lost++;
    if (lost > 0) this.options.ledger.failed(lost, new Error("export queue full"));
  }

  /** Records the request's outcome for its waiters; releases every waiter whose spans all settled. */
  private settleBarriers(request: Request, acked: boolean, error: unknown): void {
    if (this.barriers.length === 0) return;
    const low = this.lowestUnsettled();
    const ready: Barrier[] = [];
    const pending: Barrier[] = [];
    for (const barrier of this.barriers) {
      if (barrier.seq >= request.from && barrier.seq < request.to) {
        barrier.acked = acked;
        barrier.error = error;
      }
      (barrier.seq < low ? ready : pending).push(barrier);
    }
    this.barriers = pending;
    for (const barrier of ready) barrier.resolve(barrier.acked, barrier.error);
  }

  /** Every span numbered below this has been tried. */
  private lowestUnsettled(): number {
    let low = this.taken;
    for (const request of this.inFlight) if (request.from < low) low = request.from;
    return low;
  }
}

/** Not worth a second try: the collector answered that the request itself is wrong (4xx but 408/429). */
function worthRetrying(error: unknown): boolean {
  const status = (error as { code?: unknown } | undefined)?.code;
  return !(typeof status === "number" && status >= 400 && status < 500 && status !== 408 && status !== 429);
}
