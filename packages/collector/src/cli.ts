#!/usr/bin/env node
import { parseArgs } from "node:util";
import { createLogger, type LogLevel } from "./logger.js";
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from "./server.js";
import { MAX_TIMER_MS, SqlRunner } from "./sql/sql-runner.js";

const USAGE = `Usage:
  flightrec serve [--db ./flightrec.db] [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}] [--token T]
                  [--retain-days N] [--log-level debug|info|warn|error]
                  [--heartbeat-misses 3] [--sweep-interval-ms 1000]
      --token (or FLIGHTREC_TOKEN), when set, is required on /v1, /api and /metrics and for the
      details of /health; it is required to bind to a host that resolves beyond loopback.
  flightrec query "SELECT …" [--db ./flightrec.db] [--json] [--timeout-ms 5000] [--max-rows 10000]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serve(rest);
    case "query":
      return query(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`flightrec: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  return n;
}

function positiveInteger(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

/** Far enough back for any store; a longer span is a cutoff before the earliest time a Date holds. */
const MAX_RETAIN_DAYS = 100_000;

function retainDays(value: string | undefined): number | undefined {
  const days = positiveNumber("retain-days", value);
  if (days !== undefined && days > MAX_RETAIN_DAYS)
    throw new UsageError(`--retain-days must be at most ${MAX_RETAIN_DAYS}, got "${value}"`);
  return days;
}

class UsageError extends Error {}

/** node:util parseArgs refuses unknown options and missing values with these codes. */
function isUsageError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    /^ERR_PARSE_ARGS_/.test(String((error as { code?: unknown } | null)?.code ?? ""))
  );
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string", default: "./flightrec.db" },
      host: { type: "string", default: DEFAULT_HOST },
      port: { type: "string", default: String(DEFAULT_PORT) },
      token: { type: "string" },
      "retain-days": { type: "string" },
      "log-level": { type: "string", default: "info" },
      "heartbeat-misses": { type: "string", default: "3" },
      "sweep-interval-ms": { type: "string", default: "1000" },
    },
  });
  const port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  const level = values["log-level"] as LogLevel;
  if (!["debug", "info", "warn", "error", "silent"].includes(level)) {
    throw new UsageError(`--log-level must be debug, info, warn or error, got "${level}"`);
  }
  const logger = createLogger(level);
  const server = await startServer({
    db: values.db,
    host: values.host,
    port,
    token: values.token ?? process.env.FLIGHTREC_TOKEN ?? undefined,
    retainDays: retainDays(values["retain-days"]),
    interrupts: {
      heartbeatMisses: positiveNumber("heartbeat-misses", values["heartbeat-misses"]),
      sweepIntervalMs: positiveInteger("sweep-interval-ms", values["sweep-interval-ms"], MAX_TIMER_MS),
    },
    logger,
  });
  logger.info("flightrec listening", { url: server.url, db: values.db });
  console.log(`Dashboard: ${server.url}/`);
  const stop = async (signal: string) => {
    logger.info("shutting down: committing accepted spans", { signal });
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return new Promise<number>(() => {});
}

async function query(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: "string", default: "./flightrec.db" },
      json: { type: "boolean", default: false },
      "timeout-ms": { type: "string", default: "5000" },
      "max-rows": { type: "string", default: "10000" },
    },
  });
  const sql = positionals.join(" ").trim();
  if (!sql) throw new UsageError("give the SQL to run");
  const runner = new SqlRunner({
    db: values.db,
    timeoutMs: positiveInteger("timeout-ms", values["timeout-ms"], MAX_TIMER_MS),
    maxRows: positiveInteger("max-rows", values["max-rows"], Number.MAX_SAFE_INTEGER),
  });
  try {
    const result = await runner.run(sql);
    if (values.json) {
      const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
      console.log(JSON.stringify(objects, null, 2));
    } else {
      console.log(formatTable(result.columns, result.rows));
    }
    if (result.truncated) console.error(`(truncated to ${result.rows.length} rows)`);
    return 0;
  } catch (error) {
    console.error(`flightrec query: ${(error as Error).message}`);
    return 1;
  } finally {
    await runner.close();
  }
}

function formatTable(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map((v) => (v === null ? "NULL" : String(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(" | ");
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.map(line)].join("\n");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const usage = isUsageError(error);
    console.error(`flightrec: ${(error as Error).message}${usage ? `\n${USAGE}` : ""}`);
    process.exit(usage ? 2 : 1);
  },
);
