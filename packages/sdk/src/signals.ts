const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * On SIGTERM/SIGINT, runs `flush` (bounded by the caller) and then lets the signal do what
 * it would have done: if nobody else listens, the process is killed by it as before.
 * Returns a function that removes the handlers.
 */
export function flushOnSignals(flush: () => Promise<void>): () => void {
  const handler = (signal: NodeJS.Signals) => {
    uninstall();
    void flush()
      .catch(() => undefined)
      .finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
  };
  const uninstall = () => {
    for (const signal of SIGNALS) process.removeListener(signal, handler);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return uninstall;
}
