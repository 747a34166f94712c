import { durableProcessors } from "./durable-span-processor.js";
import { DeadlineExceededError } from "./errors.js";

/**
 * A run stopped by its deadline is sent completely before the caller sees the error, so the
 * caller can resume at once (e.g. from a new serverless invocation).
 */
export function flushAfterDeadline<T>(result: T): T {
  if (typeof (result as { then?: unknown })?.then !== "function") return result;
  return Promise.resolve(result).catch(async (error: unknown) => {
    if (error instanceof DeadlineExceededError) {
      await Promise.all([...durableProcessors()].map((p) => p.forceFlush().catch(() => {})));
    }
    throw error;
  }) as T;
}
