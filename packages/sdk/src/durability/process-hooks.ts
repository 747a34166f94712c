import { durableProcessors } from "./durable-span-processor.js";

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
let installedWithin: number | undefined;

/**
 * On SIGTERM/SIGINT, an uncaught exception or an unhandled rejection: mark every open run
 * interrupted (with the reason), send what is open and what has ended, within `flushWithinMs`;
 * then do what Node would have done without us (die by the signal, exit 1) unless the app
 * has handlers of its own, which then decide. When the event loop runs empty (a script that
 * ends without calling shutdown), what still waits for the export tick is sent first.
 */
export function installProcessHooks(flushWithinMs: number): void {
  if (installedWithin !== undefined) return;
  installedWithin = flushWithinMs;
  for (const signal of SIGNALS) process.once(signal, () => void onSignal(signal));
  process.on("uncaughtException", (error) => void onFatal("uncaught exception", error, "uncaughtException"));
  process.on("beforeExit", () => void flushOpenRuns(flushWithinMs));
  process.on(
    "unhandledRejection",
    (reason) => void onFatal("unhandled rejection", reason, "unhandledRejection"),
  );
}

/** Marks and flushes every open run; never throws, never waits longer than the bound. */
export function interruptOpenRuns(reason: string, withinMs: number): Promise<void> {
  return bounded(
    withinMs,
    [...durableProcessors()].map(async (p) => {
      await p.markInterrupted(reason);
      await p.forceFlush();
    }),
  );
}

/** Sends everything recorded so far; never throws, never waits longer than the bound. */
export function flushOpenRuns(withinMs: number): Promise<void> {
  return bounded(
    withinMs,
    [...durableProcessors()].map((p) => p.forceFlush()),
  );
}

async function bounded(withinMs: number, work: Promise<unknown>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, withinMs);
  });
  const all = Promise.all(work).then(
    () => {},
    () => {},
  );
  await Promise.race([all, timeout]);
  clearTimeout(timer);
}

async function onSignal(signal: (typeof SIGNALS)[number]): Promise<void> {
  await interruptOpenRuns(signal, installedWithin ?? 0);
  // Our listener is gone (once); with none left, die by the signal as Node would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

async function onFatal(kind: string, error: unknown, event: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const appHandles = process.listenerCount(event) > 1;
  if (!appHandles) console.error(error instanceof Error ? (error.stack ?? error) : error);
  await interruptOpenRuns(`${kind}: ${message}`, installedWithin ?? 0);
  if (!appHandles) process.exit(1);
}
