import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { findDashboardDir } from "./dashboard-dir.js";
import { DurabilityQueries } from "./store/sqlite/durability-queries.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { type InterruptSweeperOptions, startInterruptSweeper } from "./verdict/interrupt-sweeper.js";

export interface ServerOptions {
  /** Path of the SQLite store file. */
  db: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dashboardDir?: string;
  /** When runs that stopped sending heartbeats become `interrupted`. */
  interrupts?: Omit<InterruptSweeperOptions, "queries">;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 4318;

/** Starts the collector: OTLP ingest, query API and dashboard on one port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const store = SqliteStore.open(options.db);
  const durability = DurabilityQueries.open(options.db);
  const sweeper = startInterruptSweeper({ ...options.interrupts, queries: durability });
  const app = createApp({ store, durability, dashboardDir: options.dashboardDir ?? findDashboardDir() });
  const host = options.host ?? DEFAULT_HOST;
  const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULT_PORT });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("listening", () => resolve(server.address() as AddressInfo));
    server.once("error", reject);
  });
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: async () => {
      sweeper.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      durability.close();
      await store.close();
    },
  };
}
