import { PostgresSqlRunner } from "../sql/postgres/postgres-sql-runner.js";
import type { SqlConsole } from "../sql/sql-console.js";
import { MAX_TIMER_MS, SqlRunner } from "../sql/sql-runner.js";
import { type CommandSpec, commandHelp, parseCommand, UsageError } from "./options.js";
import { postgresUrlOf, STORE_URL_OPTION, storeOption, storeToRead } from "./store-path.js";
import { textOf, wholeNumberOf } from "./values.js";

export const QUERY: CommandSpec = {
  name: "query",
  usage: 'flightrec query "SELECT …" [options]',
  about: `Runs one read-only SQL statement (SELECT, WITH, VALUES or EXPLAIN) on a store and prints the rows.
It runs in a separate process on a read-only connection, so it is safe while flightrec serve is
writing the same file; on a PostgreSQL store (--store), as a role that may only read, in a read-only
transaction. The tables (runs, spans, decisions, failures, interruptions, llm_calls,
tool_calls) are described in the README.`,
  options: [
    storeOption("store file to read"),
    STORE_URL_OPTION,
    { name: "json", kind: "boolean", help: "print rows as a JSON array of objects instead of a table" },
    {
      name: "timeout-ms",
      kind: "string",
      value: "MS",
      default: "5000",
      help: "stop a query still running after this long",
    },
    { name: "max-rows", kind: "string", value: "N", default: "10000", help: "print at most N rows" },
  ],
  more: `Flags win over the environment. Exit status: 0 done, 1 the query failed, 2 wrong usage. Example:
  flightrec query "SELECT run_id, status, current_step, cost_usd FROM runs ORDER BY started_at DESC LIMIT 10"`,
};

export async function queryCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { help, settings, flags, positionals } = parseCommand(QUERY, args, env);
  if (help) {
    console.log(commandHelp(QUERY));
    return 0;
  }
  const sql = positionals.join(" ").trim();
  if (!sql)
    throw new UsageError('give the SQL to run, e.g. flightrec query "SELECT * FROM runs"', QUERY.name);
  const store = postgresUrlOf(settings.store!);
  const limits = {
    timeoutMs: wholeNumberOf(settings["timeout-ms"]!, MAX_TIMER_MS),
    maxRows: wholeNumberOf(settings["max-rows"]!, Number.MAX_SAFE_INTEGER),
  };
  const runner: SqlConsole =
    store === undefined
      ? new SqlRunner({ db: textOf(settings.db!), ...limits })
      : new PostgresSqlRunner({ url: store, ...limits });
  try {
    if (store === undefined) storeToRead(textOf(settings.db!));
    const result = await runner.run(sql);
    console.log(flags.json ? asJson(result.columns, result.rows) : asTable(result.columns, result.rows));
    if (result.truncated) console.error(`(truncated to ${result.rows.length} rows)`);
    return 0;
  } catch (error) {
    console.error(`flightrec query: ${(error as Error).message}`);
    return 1;
  } finally {
    await runner.close();
  }
}

function asJson(columns: string[], rows: unknown[][]): string {
  return JSON.stringify(
    rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
    null,
    2,
  );
}

function asTable(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map((v) => (v === null ? "NULL" : String(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join(" | ");
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.map(line)].join("\n");
}
