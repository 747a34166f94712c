import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { type AppOptions, createCollectorApp } from "./app.js";
import { findDashboardDir } from "./dashboard-dir.js";
import { createLogger, type Logger } from "./logger.js";
import { resolveHost } from "./loopback.js";
import { startRetention } from "./retention.js";
import { PostgresSqlRunner } from "./sql/postgres/postgres-sql-runner.js";
import type { SqlConsole } from "./sql/sql-console.js";
import { SqlRunner } from "./sql/sql-runner.js";
import { PostgresStore } from "./store/postgres/postgres-store.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import type { DecisionStore } from "./store/store.js";
import { type InterruptSweeperOptions, startInterruptSweeper } from "./verdict/interrupt-sweeper.js";

export interface ServerOptions
  extends Pick<
    AppOptions,
    | "token"
    | "maxBodyBytes"
    | "maxQueuedSpans"
    | "maxInflightBytes"
    | "bodyTimeoutMs"
    | "maxUnsentEventBytes"
    | "decodeThreads"
  > {
  /** Path of the SQLite store file (unless `store` is given). */
  db: string;
  /**
   * A PostgreSQL connection URL (postgres://…): the store is that database instead of the file
   * `db`, shared with any other collector given it.
   */
  store?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dashboardDir?: string;
  /** Delete runs older than this many days (checked hourly, in small batches). */
  retainDays?: number;
  /** Time limit of `POST /api/sql`, from when the query starts (a query process or a PostgreSQL connection takes it). Default 5 s. */
  sqlTimeoutMs?: number;
  /** `POST /api/sql` queries that run at once, each in its own process (SQLite) or connection (PostgreSQL). Default 2. */
  sqlConcurrency?: number;
  /** About this many bytes of JSON at most in a `POST /api/sql` result. Default 32 MiB. */
  sqlMaxBytes?: number;
  logger?: Logger;
  /** When runs that stopped sending heartbeats become `interrupted`. */
  interrupts?: Omit<InterruptSweeperOptions, "queries" | "logger">;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, commits every acknowledged batch, then closes the store. */
  close(): Promise<void>;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 4318;

/** Starts the collector: OTLP ingest, query API and dashboard on one port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const resolved = await resolveHost(host);
  if (!resolved.loopback && !options.token) {
    throw new Error(
      `binding to ${host} (${resolved.addresses.join(", ")}) exposes the collector beyond this machine: set --token (or FLIGHTREC_TOKEN)`,
    );
  }
  if (options.retainDays !== undefined && !(options.retainDays > 0)) {
    throw new Error(`retainDays must be a positive number, got ${options.retainDays}`);
  }
  const logger = options.logger ?? createLogger();
  const onPostgres = options.store !== undefined;
  const store: DecisionStore = onPostgres
    ? await PostgresStore.open(options.store!)
    : SqliteStore.open(options.db, {
        onCheckpointerFailure: (error) =>
          logger.error("WAL checkpoints moved to the writer", { error: String(error.message) }),
      });
  const limits = {
    timeoutMs: options.sqlTimeoutMs,
    concurrency: options.sqlConcurrency,
    maxBytes: options.sqlMaxBytes,
  };
  const sql: SqlConsole = onPostgres
    ? new PostgresSqlRunner({ url: options.store!, ...limits })
    : new SqlRunner({ db: options.db, ...limits });
  const collector = createCollectorApp({
    ...options,
    store,
    sql,
    logger,
    dbPath: onPostgres ? undefined : options.db,
    dashboardDir: options.dashboardDir ?? findDashboardDir(),
    loopbackHostOnly: resolved.loopback,
  });
  const server = serve({
    fetch: collector.app.fetch,
    // The address checked above, not the name: it cannot resolve elsewhere in between.
    hostname: resolved.loopback ? resolved.addresses[0] : host,
    port: options.port ?? DEFAULT_PORT,
  }) as Server;
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server.once("listening", () => resolve(server.address() as AddressInfo));
      server.once("error", reject);
    });
  } catch (error) {
    // The port is taken (say): let go of the store and threads opened for it, then report.
    await collector.close();
    await sql.close();
    await store.close();
    throw error;
  }
  // Verdicts and retention start only once this collector is the one listening.
  const sweeper = startInterruptSweeper({
    ...options.interrupts,
    queries: store.durability,
    lastIngestRefusalAt: () => collector.metrics.lastIngestRefusalAt,
    logger,
  });
  const retention =
    options.retainDays === undefined
      ? null
      : startRetention({ store, retainDays: options.retainDays, logger });
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        retention?.stop();
        sweeper.stop();
        await collector.close();
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        await closed;
        clearTimeout(force);
        await sql.close();
        await store.close();
      })();
      return closing;
    },
  };
}
