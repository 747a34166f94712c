import type { Logger } from "./logger.js";
import type { DecisionStore } from "./store/store.js";

export interface RetentionOptions {
  store: DecisionStore;
  retainDays: number;
  logger: Logger;
  /** Runs deleted per transaction; small, so ingest waits at most one short batch. */
  batchSize?: number;
  intervalMs?: number;
}

/** Deletes runs older than `retainDays`, a small batch at a time, yielding to ingest between batches. */
export function startRetention(options: RetentionOptions): { stop(): void; sweep(): Promise<number> } {
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  const sweep = async (): Promise<number> => {
    const before = new Date(Date.now() - options.retainDays * 86_400_000).toISOString();
    const runs = await inBatches((limit) => options.store.deleteRunsBefore(before, limit), batchSize);
    // Spans are smaller than runs: more of them a batch keeps up with busy plain traces.
    const spans = await inBatches(
      (limit) => options.store.deleteSpansWithoutRunBefore(before, limit),
      batchSize * 10,
    );
    if (runs + spans > 0)
      options.logger.info("retention deleted old runs", { runs, spansWithoutRun: spans, before });
    return runs;
  };
  /** Deletes batch after batch while there may be more, yielding to ingest in between. */
  const inBatches = async (
    deleteBatch: (limit: number) => Promise<{ deleted: number; more: boolean }>,
    limit: number,
  ) => {
    let total = 0;
    while (!stopped) {
      const { deleted, more } = await deleteBatch(limit);
      total += deleted;
      if (!more) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  };
  const run = () =>
    void sweep().catch((error) => options.logger.error("retention failed", { error: String(error) }));
  const timer = setInterval(run, options.intervalMs ?? 3_600_000);
  timer.unref();
  setImmediate(run);
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    sweep,
  };
}
