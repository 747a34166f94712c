import { durabilityConfig } from "./config.js";
import { DeadlineExceededError } from "./errors.js";
import { flushOpenRuns } from "./process-hooks.js";

/**
 * A run stopped by its deadline is sent completely before the caller sees the error, so the
 * caller can resume at once (e.g. from a new serverless invocation). The flush is bounded:
 * with the collector down, a deadline must not be overrun by waiting for it.
 */
export function flushAfterDeadline<T>(result: T): T {
  if (typeof (result as { then?: unknown })?.then !== "function") return result;
  return Promise.resolve(result).catch(async (error: unknown) => {
    if (error instanceof DeadlineExceededError) await flushOpenRuns(durabilityConfig().checkpointTimeoutMs);
    throw error;
  }) as T;
}
