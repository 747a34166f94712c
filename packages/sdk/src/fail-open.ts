import type { Context } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** What could not be delivered. Spans are dropped, never queued without bound. */
export interface DeliveryStats {
  /** Spans handed to the exporter. */
  sent: number;
  /** Spans the exporter could not deliver (collector down, slow or refusing). */
  failed: number;
  /** Spans dropped before export because the queue was full. */
  dropped: number;
}

/**
 * Keeps the agent independent of the collector: at most `maxQueued` spans wait for export
 * (the rest are dropped and counted), and delivery failures are counted, not thrown.
 * The first loss is reported once on stderr.
 */
export class FailOpenProcessor implements SpanProcessor {
  readonly stats: DeliveryStats = { sent: 0, failed: 0, dropped: 0 };
  private queued = 0;
  private reported = false;

  constructor(
    private readonly inner: SpanProcessor,
    private readonly maxQueued: number,
    private readonly destination: string,
  ) {}

  /**
   * Wraps an exporter so delivery failures are counted. `fromQueue`: this is the exporter of
   * the inner (queueing) processor, so what it sends leaves the queue.
   */
  static wrapExporter(
    exporter: SpanExporter,
    owner: () => FailOpenProcessor | undefined,
    fromQueue: boolean,
  ): SpanExporter {
    return {
      export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
        const self = owner();
        if (self && fromQueue) {
          self.queued = Math.max(0, self.queued - spans.length);
          self.stats.sent += spans.length;
        }
        exporter.export(spans, (result) => {
          if (self && result.code !== ExportResultCode.SUCCESS) {
            self.stats.failed += spans.length;
            self.reportLoss(result.error);
          }
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      ...(exporter.forceFlush ? { forceFlush: () => exporter.forceFlush!() } : {}),
    };
  }

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this.queued >= this.maxQueued) {
      this.stats.dropped++;
      this.reportLoss(undefined);
      return;
    }
    this.queued++;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  private reportLoss(error: Error | undefined): void {
    if (this.reported) return;
    this.reported = true;
    const why = error ? `: ${error.message}` : " (export queue full)";
    console.warn(
      `[flightrec] spans could not be delivered to ${this.destination}${why}. ` +
        "The agent continues unaffected; lost spans are counted (see deliveryStats()). Reported once.",
    );
  }
}
