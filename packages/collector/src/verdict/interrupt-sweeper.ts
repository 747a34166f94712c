import { createLogger, type Logger } from "../logger.js";
import type { DurabilityStore, OpenAttempt } from "../store/durability.js";

export interface InterruptSweeperOptions {
  /** The store's crash-survival reads and writes. */
  queries: DurabilityStore;
  /** A run is interrupted after this many of its heartbeat intervals pass in silence. Default 3. */
  heartbeatMisses?: number;
  /** Interval assumed for runs that do not declare theirs (other instrumentation), in ms. */
  defaultHeartbeatIntervalMs?: number;
  /** How often open runs are checked, in ms. Default 1000. */
  sweepIntervalMs?: number;
  /** Where a failing pass is reported. */
  logger?: Logger;
  /**
   * Epoch ms when ingest last refused a request (overload, a store that could not write): the
   * heartbeats of that moment may be among the refused, so silence counts from then.
   */
  lastIngestRefusalAt?: () => number;
}

export const DEFAULT_HEARTBEAT_MISSES = 3;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 1_000;
/** A declared heartbeat interval beyond this is taken as this: otherwise the run could never be judged. */
export const MAX_HEARTBEAT_INTERVAL_MS = 60 * 60 * 1000;

export interface InterruptSweeper {
  /** One pass; returns the run IDs marked interrupted. */
  sweep(now?: Date): Promise<string[]>;
  stop(): void;
}

/**
 * Gives the verdict on runs that stopped without finishing: a run whose SDK said why (signal,
 * uncaught exception, deadline), or whose heartbeat is older than `heartbeatMisses`
 * intervals, becomes `interrupted` with the step it was in, its cost so far and its input.
 */
export function startInterruptSweeper(options: InterruptSweeperOptions): InterruptSweeper {
  const misses = positive(options.heartbeatMisses ?? DEFAULT_HEARTBEAT_MISSES, "heartbeatMisses");
  const fallbackMs = positive(
    options.defaultHeartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    "defaultHeartbeatIntervalMs",
  );
  const everyMs = positive(options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, "sweepIntervalMs");
  let lastSweep = new Date(Date.now() - 60 * 60 * 1000);
  // Silence while this collector was not running is not the agent's: count from our start.
  const startedAt = Date.now();

  const { queries } = options;
  /** Newest attempt of each resumed run whose older attempts were last checked (bounded). */
  const supersededChecked = new Map<string, number>();

  /** The newest attempt of each open run: interrupted when its SDK said why or its heartbeat stopped. */
  const judgeOpenRuns = async (since: string, now: Date): Promise<string[]> => {
    const marked: string[] = [];
    for (const open of await queries.openAttemptsSince(since)) {
      const listeningSince = Math.max(startedAt, options.lastIngestRefusalAt?.() ?? 0);
      const reason = verdict(open, now, { misses, fallbackMs, listeningSince });
      if (!reason || open.attempt === null) continue;
      await queries.interrupt({
        runId: open.run_id,
        attempt: open.attempt,
        reason,
        rootInput: open.root_input,
        step: await queries.inFlightStep(open.run_id, open.attempt),
        nextStep:
          open.next_step_index === null
            ? undefined
            : { index: open.next_step_index, name: open.next_step_name },
        now,
      });
      marked.push(open.run_id);
    }
    return marked;
  };

  /**
   * Older attempts a resumed run left open: resuming means the old attempt is over, and one
   * resumed before its verdict would otherwise keep its spans running for good.
   */
  const closeSupersededAttempts = async (since: string, now: Date): Promise<string[]> => {
    const marked: string[] = [];
    for (const { run_id, attempts } of await queries.resumedRunsSince(since)) {
      if (supersededChecked.get(run_id) === attempts) continue;
      if (supersededChecked.size >= 10_000) supersededChecked.clear();
      supersededChecked.set(run_id, attempts);
      for (const attempt of await queries.openAttemptsBefore(run_id, attempts)) {
        const root = await queries.rootOf(run_id, attempt);
        await queries.interrupt({
          runId: run_id,
          attempt,
          reason: root?.reason ?? `superseded by attempt ${attempts}`,
          rootInput: root?.root_input ?? null,
          step: await queries.inFlightStep(run_id, attempt),
          now,
        });
        if (!marked.includes(run_id)) marked.push(run_id);
      }
    }
    return marked;
  };

  const sweep = async (now = new Date()): Promise<string[]> => {
    // Errors are re-checked from a little before the previous pass, so none slips between passes.
    const since = new Date(lastSweep.getTime() - everyMs).toISOString();
    lastSweep = now;
    const marked = await judgeOpenRuns(since, now);
    for (const runId of await closeSupersededAttempts(since, now))
      if (!marked.includes(runId)) marked.push(runId);
    return marked;
  };

  const logger = options.logger ?? createLogger();
  // A store that cannot write fails every pass: say so when it starts and when it ends, not each second.
  let failing = false;
  // A store slower than the interval (a networked one) never has two passes at once.
  let passing = false;
  const timer = setInterval(async () => {
    if (passing) return;
    passing = true;
    try {
      // Collectors sharing a store: only the one holding the lead gives verdicts.
      if (!(await queries.leadsSweep())) return;
      await sweep();
      if (failing) logger.info("interrupt sweep works again");
      failing = false;
    } catch (error) {
      if (!failing) logger.error("interrupt sweep failed", { error: String(error) });
      failing = true;
    } finally {
      passing = false;
    }
  }, everyMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}

export interface VerdictLimits {
  misses: number;
  /** Interval for runs that do not declare theirs, in ms. */
  fallbackMs: number;
  /** Epoch ms since when this collector has taken every span sent: its start, or its last refusal. */
  listeningSince: number;
}

/** Why the attempt counts as interrupted now, or undefined while it may still be alive. */
export function verdict(open: OpenAttempt, now: Date, limits: VerdictLimits): string | undefined {
  if (open.reason) return open.reason;
  if (open.run_status !== "running") return undefined;
  const { misses, fallbackMs, listeningSince } = limits;
  const declared = open.interval_ms;
  const intervalMs =
    declared !== null && Number.isFinite(declared) && declared > 0
      ? Math.min(declared, MAX_HEARTBEAT_INTERVAL_MS)
      : fallbackMs;
  const silentMs = now.getTime() - Math.max(Date.parse(open.updated_at), listeningSince);
  if (silentMs <= misses * intervalMs) return undefined;
  return `no heartbeat since ${open.updated_at}`;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}
