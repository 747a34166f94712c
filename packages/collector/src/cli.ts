#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from "./server.js";
import { openReadOnlyDatabase, runReadOnlyQuery } from "./sql/read-only-query.js";

const USAGE = `Usage:
  flightrec serve [--db ./flightrec.db] [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}]
                  [--heartbeat-misses 3] [--sweep-interval-ms 1000]
  flightrec query "SELECT …" [--db ./flightrec.db] [--json]`;

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

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string", default: "./flightrec.db" },
      host: { type: "string", default: DEFAULT_HOST },
      port: { type: "string", default: String(DEFAULT_PORT) },
      "heartbeat-misses": { type: "string", default: "3" },
      "sweep-interval-ms": { type: "string", default: "1000" },
    },
  });
  const interrupts = {
    heartbeatMisses: Number(values["heartbeat-misses"]),
    sweepIntervalMs: Number(values["sweep-interval-ms"]),
  };
  for (const [flag, value] of Object.entries(interrupts)) {
    if (!Number.isFinite(value) || value <= 0) {
      console.error(
        `flightrec: --${flag === "heartbeatMisses" ? "heartbeat-misses" : "sweep-interval-ms"} must be a positive number`,
      );
      return 2;
    }
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`flightrec: --port must be an integer from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const server = await startServer({ db: values.db, host: values.host, port, interrupts });
  console.log(JSON.stringify({ level: "info", msg: "flightrec listening", url: server.url, db: values.db }));
  console.log(`Dashboard: ${server.url}/`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise<number>(() => {});
}

function query(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: "string", default: "./flightrec.db" }, json: { type: "boolean", default: false } },
  });
  const sql = positionals.join(" ").trim();
  if (!sql) {
    console.error(`flightrec query: give the SQL to run\n${USAGE}`);
    return 2;
  }
  try {
    const db = openReadOnlyDatabase(values.db);
    const result = runReadOnlyQuery(db, sql);
    db.close();
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
    console.error(`flightrec: ${(error as Error).message}`);
    process.exit(1);
  },
);
