import type { LogRecord, SpanRecord } from "../domain.js";
import { HttpError } from "../errors.js";
import type { DecisionStore, IngestSummary } from "../store/store.js";

export interface WriteQueueOptions {
  store: DecisionStore;
  /** Spans accepted but not yet committed, beyond which new batches are refused with 429. */
  maxQueuedSpans: number;
  /**
   * Batches waiting together are committed in one transaction up to this many spans (group
   * commit: fewer commits, and a run's rollup row written once for all of them). Default 4096.
   */
  maxGroupSpans?: number;
  /**
   * A group also stops at the spans the writer is expected to commit in this many milliseconds,
   * judged from the commits before it (one batch always goes). The writer runs on the server
   * thread, so this bounds how long /health and every other request can wait behind one commit.
   * Default 20.
   */
  maxGroupMs?: number;
  /** Milliseconds clock; tests pass their own. Default performance.now. */
  now?: () => number;
}

interface Pending {
  spans: readonly SpanRecord[];
  /** A batch of log records instead of spans: committed alone, counted like spans for the bound. */
  logs?: readonly LogRecord[];
  resolve(summary: IngestSummary): void;
  reject(error: unknown): void;
}

/** How many queued units a batch counts for. */
const sizeOf = (item: Pending) => item.logs?.length ?? item.spans.length;

/** Overload: the client should retry later (OTLP exporters honour Retry-After). */
export class QueueFullError extends HttpError {
  constructor(message: string, status: 429 | 503 = 429) {
    super(status, message, { "retry-after": "1" });
    this.name = "QueueFullError";
  }
}

/**
 * The writer in front of the store. Batches wait here in order; those waiting together are
 * committed in one transaction, and each promise settles only after that commit, so an
 * acknowledgement always means durable. A store that commits several transactions at once
 * (`DecisionStore.concurrentWrites`, PostgreSQL) gets that many groups in flight; SQLite, one. The queue is bounded: when it is full, `submit` refuses at once
 * instead of letting memory grow.
 */
export class WriteQueue {
  private readonly items: Pending[] = [];
  private queuedSpans = 0;
  /** Groups being committed now. */
  private active = 0;
  private readonly writers: number;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: WriteQueueOptions) {
    if (!(options.maxQueuedSpans > 0)) throw new Error("WriteQueue: maxQueuedSpans must be positive");
    if (options.maxGroupSpans !== undefined && !(options.maxGroupSpans > 0)) {
      throw new Error("WriteQueue: maxGroupSpans must be positive");
    }
    if (options.maxGroupMs !== undefined && !(options.maxGroupMs > 0)) {
      throw new Error("WriteQueue: maxGroupMs must be positive");
    }
    this.maxGroupSpans = options.maxGroupSpans ?? 4096;
    this.maxGroupMs = options.maxGroupMs ?? 20;
    this.now = options.now ?? (() => performance.now());
    this.writers = Math.max(1, Math.floor(options.store.concurrentWrites ?? 1));
  }

  private readonly maxGroupSpans: number;
  private readonly maxGroupMs: number;
  private readonly now: () => number;
  /**
   * Recent commit time a span, in ms (moving average). Until the first commit is timed, a guess of
   * twice what a quiet machine takes, so even the first group is short.
   */
  private msPerSpan = 0.02;
  private timedCommits = 0;

  /** Spans waiting to be committed. */
  get depth(): number {
    return this.queuedSpans;
  }

  /** True when a batch of `spans` spans would be refused now. */
  isFull(spans = 1): boolean {
    return this.queuedSpans > 0 && this.queuedSpans + spans > this.options.maxQueuedSpans;
  }

  submit(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    return this.enqueue(spans, undefined);
  }

  /** Queues log records behind the spans before them (a content event may join a span of those). */
  submitLogs(logs: readonly LogRecord[]): Promise<IngestSummary> {
    return this.enqueue([], logs);
  }

  private enqueue(
    spans: readonly SpanRecord[],
    logs: readonly LogRecord[] | undefined,
  ): Promise<IngestSummary> {
    const size = logs?.length ?? spans.length;
    if (this.closed) return Promise.reject(new QueueFullError("collector is shutting down", 503));
    if (this.isFull(size)) {
      return Promise.reject(
        new QueueFullError(`write queue is full (${this.queuedSpans} spans waiting); retry later`),
      );
    }
    return new Promise<IngestSummary>((resolve, reject) => {
      this.items.push({ spans, ...(logs ? { logs } : {}), resolve, reject });
      this.queuedSpans += size;
      if (this.active < this.writers) {
        this.active++;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0) {
      const group = this.takeGroup();
      const spans = group.length === 1 ? group[0]!.spans : group.flatMap((item) => item.spans);
      try {
        const logs = group[0]!.logs;
        const summary = logs ? await this.options.store.ingestLogs(logs) : await this.timed(spans);
        for (const item of group) item.resolve(summary);
      } catch (error) {
        // One bad batch must not fail the others it was grouped with: retry them one by one.
        if (group.length === 1) group[0]!.reject(error);
        else for (const item of group) await this.writeAlone(item);
      } finally {
        for (const item of group) this.queuedSpans -= sizeOf(item);
      }
      // Let finished requests answer and decoded batches join the queue before the next group.
      if (this.items.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.active--;
    if (this.active === 0) for (const done of this.idle.splice(0)) done();
  }

  /** Commits `spans`, learning how long a span takes. */
  private async timed(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    const started = this.now();
    const summary = await this.options.store.ingest(spans);
    if (spans.length > 0) {
      const measured = (this.now() - started) / spans.length;
      this.msPerSpan = this.timedCommits++ === 0 ? measured : 0.7 * this.msPerSpan + 0.3 * measured;
    }
    return summary;
  }

  /**
   * The oldest batch, and the span batches behind it while the group stays within maxGroupSpans
   * and maxGroupMs. A batch of logs is a group of its own.
   */
  private takeGroup(): Pending[] {
    const limit = Math.min(this.maxGroupSpans, Math.floor(this.maxGroupMs / this.msPerSpan));
    const group = [this.items.shift()!];
    if (group[0]!.logs) return group;
    let spans = group[0]!.spans.length;
    while (this.items.length > 0 && !this.items[0]!.logs && spans + this.items[0]!.spans.length <= limit) {
      const item = this.items.shift()!;
      spans += item.spans.length;
      group.push(item);
    }
    return group;
  }

  private async writeAlone(item: Pending): Promise<void> {
    try {
      const summary = item.logs
        ? await this.options.store.ingestLogs(item.logs)
        : await this.options.store.ingest(item.spans);
      item.resolve(summary);
    } catch (error) {
      item.reject(error);
    }
  }

  /** Refuses new batches and resolves once every accepted batch is committed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.active === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
