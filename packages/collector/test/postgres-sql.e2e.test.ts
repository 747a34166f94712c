import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresSqlRunner } from "../src/sql/postgres/postgres-sql-runner.js";
import { readerRoleName } from "../src/sql/postgres/reader-role.js";
import { SqlRunner } from "../src/sql/sql-runner.js";
import { migrate } from "../src/store/postgres/migrations.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { createTestDatabase, type TestDatabase } from "./postgres-database.js";
import { seedPostgres, seedSqlite } from "./sql-fixture.js";

/** The README's example queries, as a user copies them: the SQL block after "Example queries:". */
function readmeQueries(): string[] {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const block = /Example queries:\s*```sql\n([\s\S]*?)```/.exec(readme)![1]!;
  return block
    .split(/;\s*\n/)
    .map((q) => q.replace(/^--.*$/gm, "").trim())
    .filter(Boolean);
}

describe("the README's SQL on both stores", () => {
  let dir: string;
  let database: TestDatabase;
  let sqlite: SqlRunner;
  let postgres: PostgresSqlRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-sql-both-"));
    const file = join(dir, "store.db");
    await SqliteStore.open(file).close(); // its schema
    const db = new Database(file);
    seedSqlite(db);
    db.close();
    database = await createTestDatabase();
    const owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
    await migrate(owner);
    await seedPostgres(owner);
    await owner.end();
    sqlite = new SqlRunner({ db: file, timeoutMs: 60_000 });
    postgres = new PostgresSqlRunner({ url: database.url, timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the eight example queries", () => {
    expect(readmeQueries()).toHaveLength(8);
  });

  it.each(readmeQueries().map((q) => [q.split("\n")[0]!, q]))("answers %s the same", async (_, query) => {
    const fromSqlite = await sqlite.run(query);
    const fromPostgres = await postgres.run(query);
    expect(fromSqlite.rows.length).toBeGreaterThan(0); // the fixture has rows for every query
    expect({ ...fromPostgres, elapsedMs: 0 }).toEqual({ ...fromSqlite, elapsedMs: 0 });
  });
});

const span = (runId: string, spanId: string) =>
  JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: `${spanId}${spanId}`,
                spanId,
                name: "fetch_data",
                startTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
                endTimeUnixNano: `${BigInt(Date.now() + 1000) * 1_000_000n}`,
                attributes: [
                  { key: "flightrec.span.kind", value: { stringValue: "step" } },
                  { key: "flightrec.run.id", value: { stringValue: runId } },
                  { key: "flightrec.step.index", value: { intValue: 1 } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

/** Runs `flightrec …` to its end, with only the environment given. */
function flightrec(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", CLI, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

function post(url: string, sql: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/api/sql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql }),
    signal,
  });
}

describe("POST /api/sql on a PostgreSQL store", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let collector: TestCollector;
  let owner: pg.Client;

  /** The console's queries running on the server. */
  async function readerQueries(): Promise<string[]> {
    const { rows } = await owner.query<{ query: string }>(
      "SELECT query FROM pg_stat_activity WHERE usename = $1 AND state = 'active'",
      [readerRoleName(database.name)],
    );
    return rows.map((r) => r.query);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    collector = await startTestCollector({ store: database.url, sqlTimeoutMs: 1_000 });
    owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
  });
  afterAll(async () => {
    await collector?.stop();
    await owner?.end();
    await database?.drop();
  });

  it("stops a runaway pg_sleep at the time limit while ingest goes on", async () => {
    const runaway = post(collector.server.url, "SELECT pg_sleep(600)");
    expect((await postTraces(collector.server.url, span("task-during-sql", "bbbbbbbbbbbbbbbb"))).status).toBe(
      200,
    );
    const response = await runaway;
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "query stopped: it ran longer than the 1000 ms limit",
    );
    const after = await post(
      collector.server.url,
      "SELECT run_id, steps FROM runs WHERE run_id = 'task-during-sql'",
    );
    expect(((await after.json()) as { rows: unknown[][] }).rows).toEqual([["task-during-sql", 1]]);
  });

  it("flightrec query --store reads the same database, and refuses what the console refuses", async () => {
    expect((await postTraces(collector.server.url, span("task-cli", "cccccccccccccccc"))).status).toBe(200);
    const read = await flightrec(
      ["query", "--json", "SELECT run_id, steps FROM runs WHERE run_id = 'task-cli'"],
      {
        FLIGHTREC_STORE: database.url,
      },
    );
    expect(read).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(read.stdout)).toEqual([{ run_id: "task-cli", steps: 1 }]);
    const write = await flightrec([
      "query",
      "--store",
      database.url,
      "WITH x AS (DELETE FROM runs RETURNING 1) SELECT * FROM x",
    ]);
    expect(write).toMatchObject({
      code: 1,
      stderr:
        "flightrec query: only read-only queries are allowed: this statement would write to the store\n",
    });
  });

  it("offers the SQL editor every table the console may read, and no other", async () => {
    expect((await post(collector.server.url, "SELECT 1")).status).toBe(200); // the console's role is made
    const { tables } = (await (await fetch(`${collector.server.url}/api/schema`)).json()) as {
      tables: { name: string }[];
    };
    const names = tables.map((t) => t.name);
    expect(names).toContain("runs");
    for (const name of names) {
      const response = await post(collector.server.url, `SELECT * FROM ${name} LIMIT 1`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
  });

  it.each([
    ["DELETE FROM runs", /^only read-only queries are allowed/],
    ["COPY (SELECT 1) TO PROGRAM 'true'", /^only read-only queries are allowed/],
    ["SELECT pg_read_file('/etc/passwd')", /permission denied for function pg_read_file/],
    ["SELECT set_config('role', 'postgres', false)", /permission denied to set role/],
    ["SELECT 1; DELETE FROM runs", /more than one statement/],
  ])("refuses %s with 400", async (sql, message) => {
    const response = await post(collector.server.url, sql);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("cancels the query on the server when its client goes away", async () => {
    const patient = await startTestCollector({ store: database.url, sqlTimeoutMs: 600_000 });
    try {
      const gone = new AbortController();
      const first = post(patient.server.url, "SELECT pg_sleep(600)", gone.signal).catch(() => "aborted");
      while (!(await readerQueries()).includes("SELECT pg_sleep(600)"))
        await new Promise((r) => setTimeout(r, 20));
      gone.abort();
      expect(await first).toBe("aborted");
      // A test that never gets past this times out: the server would sleep ten minutes.
      while ((await readerQueries()).includes("SELECT pg_sleep(600)"))
        await new Promise((r) => setTimeout(r, 50));
      const next = await post(patient.server.url, "SELECT 2 AS two");
      expect(((await next.json()) as { rows: unknown[][] }).rows).toEqual([[2]]);
    } finally {
      await patient.stop();
    }
  });
});
