import { Hono } from "hono";
import { RunEvents } from "./api/run-events.js";
import { detailsNeedToken, loopbackHostOnly, tokenAuth } from "./auth.js";
import { HttpError } from "./errors.js";
import { DecodePool } from "./ingest/decode-pool.js";
import { WriteQueue } from "./ingest/write-queue.js";
import { createLogger, type Logger } from "./logger.js";
import { Metrics } from "./metrics.js";
import { encodeProtobufStatus } from "./otlp/encode-response.js";
import { apiRoutes } from "./routes/api.js";
import { checkpointRoutes } from "./routes/checkpoints.js";
import { dashboardRoute } from "./routes/dashboard.js";
import { eventsRoute } from "./routes/events.js";
import { graphCheckpointRoutes } from "./routes/graph-checkpoints.js";
import { healthRoute } from "./routes/health.js";
import { otlpRoutes } from "./routes/otlp.js";
import { sqlRoute } from "./routes/sql.js";
import { securityHeaders } from "./security-headers.js";
import type { SqlConsole } from "./sql/sql-console.js";
import { type DecisionStore, StoreUnavailableError } from "./store/store.js";

export interface AppOptions {
  store: DecisionStore;
  /** Runs `POST /api/sql`; omitted → that route answers 404. */
  sql?: SqlConsole;
  /** Store file path, for the disk-space check of /health. */
  dbPath?: string;
  /** Directory of the built dashboard; omitted → a plain notice at `/`. */
  dashboardDir?: string;
  /** When set, `/v1`, `/api` and `/metrics` need `Authorization: Bearer <token>`, and `/health` details too. */
  token?: string;
  /**
   * Answer only to loopback names in the Host header (the DNS-rebinding guard). Default true;
   * the server turns it off when it listens beyond loopback, where a token guards it instead.
   */
  loopbackHostOnly?: boolean;
  /** Largest OTLP body, after decompression. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Spans accepted but not committed before ingest answers 429. Default 4,096. */
  maxQueuedSpans?: number;
  /** Bytes of OTLP bodies being read at once before ingest answers 429. Default 4 MiB; decoded, a body takes several times its size. */
  maxInflightBytes?: number;
  /** Time for a whole OTLP body to arrive after its headers before ingest answers 408. Default 30 s. */
  bodyTimeoutMs?: number;
  /** Bytes of live events a client may leave unsent before it is dropped. Default 256 KiB. */
  maxUnsentEventBytes?: number;
  logger?: Logger;
  /** Threads that decode and normalize OTLP bodies; 0 = the server thread. Default: cores − 1. */
  decodeThreads?: number;
}

export interface CollectorApp {
  app: Hono;
  queue: WriteQueue;
  metrics: Metrics;
  events: RunEvents;
  /** Refuses new ingest, commits what was accepted, ends live streams. */
  close(): Promise<void>;
}

const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 413: 8, 415: 3, 429: 8, 503: 14 };

export function createCollectorApp(options: AppOptions): CollectorApp {
  const logger = options.logger ?? createLogger();
  const metrics = new Metrics();
  const events = new RunEvents({ store: options.store });
  // Whoever committed the change (this collector's ingest, a verdict, another collector on the
  // same database), the store tells the live clients.
  const stopHearingRuns = options.store.onRunsChanged((runIds) => events.notify(runIds));
  const queue = new WriteQueue({ store: options.store, maxQueuedSpans: options.maxQueuedSpans ?? 4_096 });
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const decoder = new DecodePool({ threads: options.decodeThreads, maxBodyBytes });
  const app = new Hono();
  app.use("*", async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeRequest(routeLabel(c.req.path), c.res.status, (performance.now() - started) / 1000);
  });
  app.use("*", securityHeaders());
  if (options.loopbackHostOnly ?? true) app.use("*", loopbackHostOnly());
  if (options.token) {
    const auth = tokenAuth({ token: options.token, queryTokenPaths: ["/api/events"] });
    for (const path of ["/v1/*", "/api/*", "/metrics"]) app.use(path, auth);
    app.use("/health", detailsNeedToken({ token: options.token }));
  }
  app.route("/", healthRoute({ store: options.store, queue, dbPath: options.dbPath }));
  app.get("/metrics", (c) =>
    c.text(metrics.render({ queueDepth: queue.depth, sseClients: events.clients }), 200, {
      "content-type": "text/plain; version=0.0.4",
    }),
  );
  app.route(
    "/",
    otlpRoutes({
      queue,
      decoder,
      metrics,
      maxBodyBytes,
      maxInflightBytes: options.maxInflightBytes ?? 4 * 1024 * 1024,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    }),
  );
  app.route("/", eventsRoute({ events, metrics, maxUnsentBytes: options.maxUnsentEventBytes }));
  app.route("/", checkpointRoutes({ durability: options.store.durability }));
  app.route("/", graphCheckpointRoutes({ store: options.store, maxBodyBytes }));
  app.route("/", apiRoutes(options));
  if (options.sql) app.route("/", sqlRoute({ sql: options.sql }));
  app.all("/api/*", (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.route("/", dashboardRoute({ dashboardDir: options.dashboardDir }));

  // One place turns errors into responses; anything unexpected is logged and becomes a 500.
  app.onError((error, c) => {
    const known = error instanceof HttpError;
    const status = known ? error.status : 500;
    const message = known ? error.message : "internal error";
    if (!known) logger.error("unhandled error", { path: c.req.path, error: String(error?.stack ?? error) });
    // Answered 503 and retried by the sender, but the operator has to free space or a lock.
    if (error instanceof StoreUnavailableError) logger.error(error.message, { path: c.req.path });
    const headers = known ? error.headers : {};
    const protobuf = /protobuf/i.test(c.req.header("content-type") ?? "") && c.req.path.startsWith("/v1/");
    if (protobuf) {
      const body = encodeProtobufStatus(GRPC_CODE[status] ?? 13, message);
      return c.body(body as unknown as string, status, {
        ...headers,
        "content-type": "application/x-protobuf",
      });
    }
    return c.json({ error: message }, status, headers);
  });

  return {
    app,
    queue,
    metrics,
    events,
    close: async () => {
      await queue.close();
      stopHearingRuns();
      events.close();
      await decoder.close();
    },
  };
}

/** The collector's HTTP app alone (tests call `app.request(…)` on it). */
export function createApp(options: AppOptions): Hono {
  return createCollectorApp(options).app;
}

/** Paths labelled as themselves; any other path is a client's choice and would grow the label set. */
const ROUTE_PATHS = new Set([
  "/v1/traces",
  "/v1/logs",
  "/health",
  "/metrics",
  "/api/runs",
  "/api/failures",
  "/api/stats",
  "/api/schema",
  "/api/events",
  "/api/sql",
  "/api/step-durations",
  "/api/logs",
  "/api/graph/checkpoint",
  "/api/graph/checkpoints",
  "/api/graph/writes",
]);

/** A bounded label set for metrics: route shapes, never raw IDs. */
function routeLabel(path: string): string {
  if (ROUTE_PATHS.has(path)) return path;
  if (path.startsWith("/api/graph/threads/")) return "/api/graph/threads/:threadId";
  if (path.startsWith("/api/runs/"))
    return path.endsWith("/checkpoints") ? "/api/runs/:runId/checkpoints" : "/api/runs/:runId";
  return path.startsWith("/api/") ? "/api/other" : "/dashboard";
}
