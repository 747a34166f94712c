import type { SpanRecord } from "../domain.js";
import { HttpError } from "../errors.js";
import type { DecisionStore, IngestSummary } from "../store/store.js";

export interface WriteQueueOptions {
  store: DecisionStore;
  /** Spans accepted but not yet committed, beyond which new batches are refused with 429. */
  maxQueuedSpans: number;
  /** Called after each commit, e.g. to push run changes to live clients. */
  onCommitted?: (summary: IngestSummary) => void;
}

interface Pending {
  spans: readonly SpanRecord[];
  resolve(summary: IngestSummary): void;
  reject(error: unknown): void;
}

/** Overload: the client should retry later (OTLP exporters honour Retry-After). */
export class QueueFullError extends HttpError {
  constructor(message: string, status: 429 | 503 = 429) {
    super(status, message, { "retry-after": "1" });
    this.name = "QueueFullError";
  }
}

/**
 * The single writer in front of the store. Batches wait here in order; each is committed in
 * its own transaction and its promise settles only after that commit, so an acknowledgement
 * always means durable. The queue is bounded: when it is full, `submit` refuses at once
 * instead of letting memory grow.
 */
export class WriteQueue {
  private readonly items: Pending[] = [];
  private queuedSpans = 0;
  private running = false;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: WriteQueueOptions) {
    if (!(options.maxQueuedSpans > 0)) throw new Error("WriteQueue: maxQueuedSpans must be positive");
  }

  /** Spans waiting to be committed. */
  get depth(): number {
    return this.queuedSpans;
  }

  /** True when a batch of `spans` spans would be refused now. */
  isFull(spans = 1): boolean {
    return this.queuedSpans > 0 && this.queuedSpans + spans > this.options.maxQueuedSpans;
  }

  submit(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    if (this.closed) return Promise.reject(new QueueFullError("collector is shutting down", 503));
    if (this.isFull(spans.length)) {
      return Promise.reject(
        new QueueFullError(`write queue is full (${this.queuedSpans} spans waiting); retry later`),
      );
    }
    return new Promise<IngestSummary>((resolve, reject) => {
      this.items.push({ spans, resolve, reject });
      this.queuedSpans += spans.length;
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0) {
      const item = this.items.shift()!;
      try {
        const summary = await this.options.store.ingest(item.spans);
        item.resolve(summary);
        this.options.onCommitted?.(summary);
      } catch (error) {
        item.reject(error);
      } finally {
        this.queuedSpans -= item.spans.length;
      }
    }
    this.running = false;
    for (const done of this.idle.splice(0)) done();
  }

  /** Refuses new batches and resolves once every accepted batch is committed. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.running) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
