/** Told the IDs of runs whose row changed, once the change is committed. */
export type RunChangeListener = (runIds: readonly string[]) => void;

/**
 * The listeners of one store's run changes. A store emits after each commit that changed run
 * rows (ingest, a verdict); a networked store also emits what other collectors on the same
 * database committed. A listener that throws never keeps the others from hearing.
 */
export class RunChangeFeed {
  private readonly listeners = new Set<RunChangeListener>();

  subscribe(listener: RunChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(runIds: readonly string[]): void {
    if (runIds.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(runIds);
      } catch {
        // A live view's failure is its own; the commit it reports has happened.
      }
    }
  }
}
