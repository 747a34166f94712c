import { createLogger, type LogLevel } from "../logger.js";
import { DEFAULT_HOST, DEFAULT_PORT, type RunningServer, startServer } from "../server.js";
import { MAX_TIMER_MS } from "../sql/sql-runner.js";
import { dashboardLine } from "./dashboard-line.js";
import { type CommandSpec, commandHelp, parseCommand, UsageError } from "./options.js";
import {
  isSqliteError,
  postgresUrlOf,
  redactedStoreUrl,
  STORE_URL_OPTION,
  storeOpenError,
  storeOption,
  storeToWrite,
} from "./store-path.js";
import { oneOf, portOf, positiveNumberOf, textOf, wholeNumberOf } from "./values.js";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const satisfies readonly LogLevel[];

/** Far enough back for any store; a longer span is a cutoff before the earliest time a Date holds. */
const MAX_RETAIN_DAYS = 100_000;

export const SERVE: CommandSpec = {
  name: "serve",
  usage: "flightrec serve [options]",
  about: `Starts the collector: one process on one port that receives OTLP/HTTP traces (POST /v1/traces),
keeps them in a SQLite file (or, with --store, a PostgreSQL database that several collectors may share), and serves the query API (/api), read-only SQL and the dashboard (/).
On loopback it answers only to loopback Host names; with --token, /v1, /api and /metrics
(and the details of /health) need "Authorization: Bearer <token>". Logs are JSON lines on stderr. Ctrl+C or SIGTERM stops it after
committing every accepted span.`,
  options: [
    storeOption("SQLite store file, created if missing"),
    STORE_URL_OPTION,
    {
      name: "host",
      kind: "string",
      value: "HOST",
      default: DEFAULT_HOST,
      env: "FLIGHTREC_HOST",
      help: "address to listen on; one that resolves beyond loopback needs --token",
    },
    {
      name: "port",
      kind: "string",
      value: "N",
      default: String(DEFAULT_PORT),
      env: "FLIGHTREC_PORT",
      help: "port to listen on; 0 picks a free one",
    },
    {
      name: "token",
      kind: "string",
      value: "T",
      env: "FLIGHTREC_TOKEN",
      help: "require this bearer token on /v1, /api and /metrics",
    },
    {
      name: "retain-days",
      kind: "string",
      value: "N",
      help: "delete runs older than N days, checked hourly (default: keep all)",
    },
    { name: "log-level", kind: "string", value: "LEVEL", default: "info", help: LOG_LEVELS.join(", ") },
    {
      name: "heartbeat-misses",
      kind: "string",
      value: "N",
      default: "3",
      help: "heartbeats a run may miss before it is marked interrupted",
    },
    {
      name: "sweep-interval-ms",
      kind: "string",
      value: "MS",
      default: "1000",
      help: "how often runs are checked for missed heartbeats",
    },
  ],
  more: `Flags win over the environment. Examples:
  flightrec serve
  FLIGHTREC_PORT=4320 FLIGHTREC_DB=/var/lib/flightrec/flightrec.db flightrec serve
  flightrec serve --host 0.0.0.0 --token "$(openssl rand -hex 16)" --retain-days 30
  FLIGHTREC_STORE=postgres://flightrec@db.internal:5432/flightrec flightrec serve`,
};

export async function serveCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { help, settings } = parseCommand(SERVE, args, env);
  if (help) {
    console.log(commandHelp(SERVE));
    return 0;
  }
  const store = postgresUrlOf(settings.store!);
  const db = store === undefined ? storeToWrite(textOf(settings.db!)) : textOf(settings.db!);
  const logger = createLogger(oneOf(settings["log-level"]!, LOG_LEVELS));
  const retainDays = positiveNumberOf(settings["retain-days"]!);
  if (retainDays !== undefined && retainDays > MAX_RETAIN_DAYS) {
    throw new UsageError(
      `--retain-days must be at most ${MAX_RETAIN_DAYS}, got "${settings["retain-days"]!.value}"`,
    );
  }
  const server = await startServer({
    db,
    store,
    host: textOf(settings.host!),
    port: portOf(settings.port!),
    token: settings.token!.value || undefined,
    retainDays,
    interrupts: {
      heartbeatMisses: positiveNumberOf(settings["heartbeat-misses"]!),
      sweepIntervalMs: wholeNumberOf(settings["sweep-interval-ms"]!, MAX_TIMER_MS),
    },
    logger,
  }).catch((error: unknown) => {
    if (store !== undefined && error instanceof Error) {
      throw new Error(`cannot open the store ${redactedStoreUrl(store)}: ${error.message}`, { cause: error });
    }
    throw isSqliteError(error) ? storeOpenError(db, error) : error;
  });
  logger.info(
    "flightrec listening",
    store === undefined ? { url: server.url, db } : { url: server.url, store: redactedStoreUrl(store) },
  );
  console.log(dashboardLine(server.url, settings.token!.value !== undefined && settings.token!.value !== ""));
  stopOnSignals(server, logger);
  return new Promise<number>(() => {});
}

/**
 * Ctrl+C or SIGTERM: stop accepting, commit what was acknowledged, exit 0. Under a script runner
 * Ctrl+C can arrive twice (from the terminal and forwarded); a repeat must not kill the shutdown.
 */
function stopOnSignals(server: RunningServer, logger: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down: committing accepted spans", { signal });
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
