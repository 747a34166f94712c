import { randomUUID } from "node:crypto";
import pg from "pg";
import type { RunChangeFeed } from "../run-changes.js";

/** The NOTIFY channel on which collectors sharing a database tell each other of run changes. */
export const RUN_CHANGES_CHANNEL = "flightrec_runs";

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; the rest is for the envelope. */
const MAX_PAYLOAD_BYTES = 7_800;

/** What one notification carries: who committed (so it skips its own) and which runs changed. */
interface Envelope {
  from: string;
  runs: string[];
}

/**
 * The notifications that name `runIds`, each within PostgreSQL's payload limit. A run ID too
 * long for any payload is left out: other collectors' live views miss it, nothing else does.
 */
export function runChangePayloads(from: string, runIds: readonly string[]): string[] {
  const payloads: string[] = [];
  const overhead = Buffer.byteLength(JSON.stringify({ from, runs: [] } satisfies Envelope));
  let runs: string[] = [];
  let bytes = overhead;
  for (const id of runIds) {
    const size = Buffer.byteLength(JSON.stringify(id)) + 1;
    if (overhead + size > MAX_PAYLOAD_BYTES) continue;
    if (bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ from, runs } satisfies Envelope));
      runs = [];
      bytes = overhead;
    }
    runs.push(id);
    bytes += size;
  }
  if (runs.length > 0) payloads.push(JSON.stringify({ from, runs } satisfies Envelope));
  return payloads;
}

function parseEnvelope(payload: string | undefined): Envelope | null {
  try {
    const value = JSON.parse(payload ?? "") as Partial<Envelope>;
    if (typeof value.from !== "string" || !Array.isArray(value.runs)) return null;
    const runs = value.runs.filter((id): id is string => typeof id === "string");
    return { from: value.from, runs };
  } catch {
    return null;
  }
}

export interface RunChangeChannelOptions {
  /** Connection settings of the store's database (the pool's). */
  connection: pg.ClientConfig;
  /** Where changes other collectors committed are told. */
  feed: RunChangeFeed;
  /** Told when the listening connection drops and when it is back. */
  onConnectionChange?: (up: boolean) => void;
  /** First wait before reconnecting, in ms; doubles up to 30 s. Default 500. */
  reconnectMs?: number;
}

const MAX_RECONNECT_MS = 30_000;

/**
 * This collector's end of the run-change channel. `notify` queues the changes a transaction made
 * (PostgreSQL delivers them at commit, and drops them on rollback); a dedicated connection
 * LISTENs and tells the feed what the other collectors committed. Its own notifications it
 * skips: the store tells the feed of those itself, at once. A dropped connection is reopened;
 * changes committed meanwhile reach live clients with the runs' next change.
 */
export class RunChangeChannel {
  /** Tells this collector's notifications from the others'. */
  readonly instance = randomUUID();
  private client: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private waitMs: number;

  private constructor(private readonly options: RunChangeChannelOptions) {
    this.waitMs = options.reconnectMs ?? 500;
  }

  /** Listens from now on; rejects when the first connection fails. */
  static async open(options: RunChangeChannelOptions): Promise<RunChangeChannel> {
    const channel = new RunChangeChannel(options);
    await channel.listen();
    return channel;
  }

  /** Queues notifications naming `runIds` in `client`'s transaction. */
  async notify(client: pg.ClientBase, runIds: readonly string[]): Promise<void> {
    for (const payload of runChangePayloads(this.instance, runIds)) {
      await client.query("SELECT pg_notify($1, $2)", [RUN_CHANGES_CHANNEL, payload]);
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.options.connection);
    client.on("notification", (message) => {
      if (message.channel !== RUN_CHANGES_CHANNEL) return;
      const envelope = parseEnvelope(message.payload);
      if (envelope && envelope.from !== this.instance) this.options.feed.emit(envelope.runs);
    });
    // An error event without a listener would take the process down; the end event reconnects.
    client.on("error", () => {});
    client.on("end", () => {
      if (this.client !== client || this.closed) return;
      this.client = null;
      this.options.onConnectionChange?.(false);
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${RUN_CHANGES_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.listen();
        this.waitMs = this.options.reconnectMs ?? 500;
        this.options.onConnectionChange?.(true);
      } catch {
        this.waitMs = Math.min(this.waitMs * 2, MAX_RECONNECT_MS);
        if (!this.closed) this.scheduleReconnect();
      }
    }, this.waitMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
