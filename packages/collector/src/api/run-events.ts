import type { DecisionStore, RunRow } from "../store/store.js";
import { SseFrame } from "./sse-frame.js";

export interface RunEventsOptions {
  store: DecisionStore;
  /** Changes are coalesced and sent at most this often, so heavy ingest costs one query a tick. */
  intervalMs?: number;
}

/** Receives each tick's changes as one server-sent events frame, shared by every listener. */
type Listener = (frame: SseFrame) => void;

/** `event: run` with the row as data, for each row. JSON text has no raw newline, so each data is one line. */
export function runEventsFrame(rows: readonly RunRow[]): SseFrame {
  let text = "";
  for (const row of rows) text += `event: run\ndata: ${JSON.stringify(row)}\n\n`;
  return SseFrame.of(text);
}

/**
 * Fans run changes out to live clients (server-sent events). Each tick reads the changed runs
 * once and serializes them once (and compresses them once, for clients that take gzip); every
 * client is handed the same bytes, so a tick costs O(changes) plus one hand-over per client,
 * never O(changes × clients).
 */
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
      if (rows.length === 0) return;
      const frame = runEventsFrame(rows);
      for (const listener of this.listeners) listener(frame);
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
