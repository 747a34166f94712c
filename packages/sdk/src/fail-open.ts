/**
 * What could not be delivered. Counts finished spans (the record); the placeholders of open
 * spans are re-sent by the heartbeat and replaced by the final span, so they are not counted.
 */
export interface DeliveryStats {
  /** Finished spans handed to the exporter (once each, however often they were tried). */
  sent: number;
  /** Finished spans the collector did not take after the last try (down, slow or refusing). */
  failed: number;
  /** Finished spans dropped before export because the send queue was full. */
  dropped: number;
}

/**
 * Keeps the agent independent of the collector: losses are counted, never thrown, and the
 * first one is reported once on stderr.
 */
export class DeliveryLedger {
  readonly stats: DeliveryStats = { sent: 0, failed: 0, dropped: 0 };
  private reported = false;

  constructor(private readonly destination: string) {}

  sent(count: number): void {
    this.stats.sent += count;
  }

  failed(count: number, error: unknown): void {
    this.stats.failed += count;
    this.report(error instanceof Error ? `: ${error.message}` : "");
  }

  dropped(count: number): void {
    this.stats.dropped += count;
    this.report(" (export queue full)");
  }

  private report(why: string): void {
    if (this.reported) return;
    this.reported = true;
    console.warn(
      `[flightrec] spans could not be delivered to ${this.destination}${why}. ` +
        "The agent continues unaffected; lost spans are counted (see deliveryStats()). Reported once.",
    );
  }
}
