import type { HrTime } from "@opentelemetry/api";
import { millisToHrTime } from "@opentelemetry/core";

/**
 * Wall-clock epoch milliseconds with sub-millisecond precision. The trace SDK stamps span
 * starts with Date.now() (whole ms), which makes a parent and its first child tie; passing
 * this as both start and end time keeps order and durations exact.
 */
export function preciseNow(): number {
  return TIME_ORIGIN + performance.now();
}

// Fixed for the life of the process; reading it through the getter costs on every span.
const TIME_ORIGIN = performance.timeOrigin;

/**
 * preciseNow() as an HrTime. The trace SDK takes a number through a check against
 * performance.now() before converting it the same way; handing it the pair skips that.
 */
export function preciseTime(): HrTime {
  return millisToHrTime(preciseNow());
}
