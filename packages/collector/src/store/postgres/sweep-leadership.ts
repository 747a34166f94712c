import pg from "pg";
import { SCHEMA_LOCK } from "./migrations.js";

/** Advisory lock key of the interrupt sweep's lead; the schema lock's neighbour. */
export const SWEEP_LOCK = SCHEMA_LOCK + 1n;

/**
 * The interrupt sweep's lead among the collectors sharing a database: a session advisory lock
 * held on a connection of its own. The collector that holds it gives the verdicts; the lock goes
 * with its connection (a collector stopped or killed, a connection cut), and the next collector
 * to ask takes it. Asking costs a statement only while another collector leads.
 */
export class SweepLeadership {
  private client: pg.Client | null = null;
  private held = false;
  private closed = false;

  constructor(private readonly connection: pg.ClientConfig) {}

  async leads(): Promise<boolean> {
    if (this.closed) return false;
    if (this.held && this.client) return true;
    try {
      const client = this.client ?? (await this.connect());
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
        SWEEP_LOCK.toString(),
      ]);
      this.held = rows[0]?.ok === true;
    } catch {
      this.held = false;
    }
    return this.held;
  }

  private async connect(): Promise<pg.Client> {
    // Keepalive: a leader whose machine vanished loses its connection, and so the lead, in time.
    const client = new pg.Client({ ...this.connection, keepAlive: true });
    client.on("error", () => {});
    client.on("end", () => {
      if (this.client === client) {
        this.client = null;
        this.held = false;
      }
    });
    await client.connect();
    this.client = client;
    return client;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
