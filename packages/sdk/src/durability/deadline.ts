/** When the run must be done: a time, epoch ms, or a function returning the ms left. */
export type Deadline = Date | number | (() => number);

export function remainingMs(deadline: Deadline, now = Date.now()): number {
  if (typeof deadline === "function") return deadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return at - now;
}

export function validateDeadline(deadline: Deadline): void {
  const ok =
    typeof deadline === "function" ||
    (deadline instanceof Date && !Number.isNaN(deadline.getTime())) ||
    (typeof deadline === "number" && Number.isFinite(deadline));
  if (!ok) {
    throw new TypeError(
      "flightrec: deadline must be a Date, epoch milliseconds, or a function returning the milliseconds left",
    );
  }
}

/**
 * Whether a step may start: it must be expected to finish before the deadline. Without an
 * estimate the step is expected to take no time, so only a deadline already passed stops it.
 */
export function mayStart(remaining: number, expectedMs: number | undefined): boolean {
  return remaining > 0 && remaining >= (expectedMs ?? 0);
}
