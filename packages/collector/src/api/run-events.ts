import type { DecisionStore, RunRow } from "../store/store.js";

export interface RunEventsOptions {
  store: DecisionStore;
  /** Changes are coalesced and sent at most this often, so heavy ingest costs one query a tick. */
  intervalMs?: number;
}

type Listener = (rows: RunRow[]) => void;

/** Fans run changes out to live clients (server-sent events). */
export class RunEvents {
  private readonly listeners = new Set<Listener>();
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private resolveClosed!: () => void;
  /** Settles when the collector shuts down, so open streams end and the server can close. */
  readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(private readonly options: RunEventsOptions) {
    this.intervalMs = options.intervalMs ?? 250;
  }

  get clients(): number {
    return this.listeners.size;
  }

  notify(runIds: readonly string[]): void {
    if (this.listeners.size === 0) return;
    for (const id of runIds) this.changed.add(id);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const ids = [...this.changed];
    this.changed.clear();
    if (ids.length === 0 || this.listeners.size === 0) return;
    try {
      const rows = await this.options.store.getRuns(ids);
      for (const listener of this.listeners) listener(rows);
    } catch {
      // The store is closing; live clients simply miss this tick.
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
    this.resolveClosed();
  }
}
