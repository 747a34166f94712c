import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** Tries of one finished span, the first included, before it counts as failed. */
export const MAX_TRIES = 6;
const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

interface Group {
  spans: ReadableSpan[];
  dueAt: number;
}

/**
 * Finished spans whose request failed, waiting for another try: 0.2, 0.4, 0.8, 1.6 and 3.2 s
 * later (about 6 s in all, so a collector restart loses nothing), then given up. Nobody waits
 * on a retry: whoever waited heard of the failure at once.
 */
export class RetrySchedule {
  private groups: Group[] = [];
  private readonly tries = new WeakMap<ReadableSpan, number>();
  private count = 0;

  /** Spans waiting for another try. */
  get size(): number {
    return this.count;
  }

  /** True once the span failed at least once (so it is not counted as sent again). */
  isRetry(span: ReadableSpan): boolean {
    return this.tries.has(span);
  }

  /**
   * Schedules another try of the request's finished spans, or none when `retry` is false.
   * Returns how many are given up.
   */
  failed(spans: readonly ReadableSpan[], retry: boolean, now: number): number {
    const again: ReadableSpan[] = [];
    let lost = 0;
    let tries = 1;
    for (const span of spans) {
      if (!span.ended) continue; // placeholders are sent again by the heartbeat
      const done = this.tries.get(span) ?? 1;
      if (retry && done < MAX_TRIES) {
        this.tries.set(span, done + 1);
        again.push(span);
        tries = Math.max(tries, done);
      } else lost++;
    }
    if (again.length > 0) {
      const delay = Math.min(FIRST_DELAY_MS * 2 ** (tries - 1), MAX_DELAY_MS);
      this.groups.push({ spans: again, dueAt: now + delay });
      this.count += again.length;
    }
    return lost;
  }

  /** Takes the spans due by `now` (all of them with Infinity), oldest first. */
  takeDue(now: number): ReadableSpan[] {
    if (this.count === 0) return [];
    const due: ReadableSpan[] = [];
    const later: Group[] = [];
    for (const group of this.groups) {
      if (group.dueAt <= now) due.push(...group.spans);
      else later.push(group);
    }
    this.groups = later;
    this.count -= due.length;
    return due;
  }

  /** When the next group is due (Infinity when none waits). */
  nextDueAt(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const group of this.groups) next = Math.min(next, group.dueAt);
    return next;
  }
}
