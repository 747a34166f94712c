import { packageVersion } from "../package-version.js";
import { CommandError, UsageError } from "./options.js";
import { QUERY, queryCommand } from "./query.js";
import { SERVE, serveCommand } from "./serve.js";

const COMMANDS = { serve: serveCommand, query: queryCommand } as const;

function overview(): string {
  return `flightrec ${packageVersion()} — a flight recorder for AI agents

Usage:
  ${SERVE.usage.padEnd(38)}start the collector: OTLP ingest, store, API and dashboard
  ${QUERY.usage.padEnd(38)}run one read-only SQL query on a store
  ${"flightrec <command> --help".padEnd(38)}a command's options, defaults and environment
  ${"flightrec --version".padEnd(38)}print the version

Environment (flags win): FLIGHTREC_PORT, FLIGHTREC_HOST, FLIGHTREC_DB, FLIGHTREC_STORE, FLIGHTREC_TOKEN.
Point an agent at it with @flightrec/sdk (FLIGHTREC_ENDPOINT) or any OTLP/HTTP exporter.
Docs: https://www.npmjs.com/package/@flightrec/collector`;
}

/** Runs the `flightrec` command line; resolves to the exit code (serve resolves only on a signal). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(overview());
    return 0;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    console.log(packageVersion());
    return 0;
  }
  if (command === undefined) throw new UsageError("give a command: serve or query");
  if (!Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(`unknown command "${command}"; the commands are serve and query`);
  }
  try {
    return await COMMANDS[command as keyof typeof COMMANDS](rest, env);
  } catch (error) {
    // A value check deep in a command knows the flag, not the command: add it for the pointer to --help.
    if (error instanceof UsageError) throw error.command ? error : new UsageError(error.message, command);
    throw new CommandError(command, error as Error);
  }
}

/** What a failed command prints: usage errors point at the right `--help` and exit 2, others exit 1. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    const where = error.command ? `flightrec ${error.command}` : "flightrec";
    console.error(`${where}: ${error.message}\nRun "${where} --help" for usage.`);
    return 2;
  }
  const where = error instanceof CommandError ? `flightrec ${error.command}` : "flightrec";
  console.error(`${where}: ${(error as Error).message}`);
  return 1;
}
