import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPoolerProxy } from "../../../test/pooler-proxy.js";
import { createTestDatabase, TEST_POSTGRES, type TestDatabase } from "../../../test/postgres-database.js";
import { STARTED, seedPostgres } from "../../../test/sql-fixture.js";
import { migrate } from "../../store/postgres/migrations.js";
import { QueryCancelledError, QueryRejectedError } from "../query-errors.js";
import { SqlBusyError } from "../query-line.js";
import { PostgresSqlRunner } from "./postgres-sql-runner.js";
import { READABLE_RELATIONS, READER_TABLE, readerRoleName } from "./reader-role.js";

/** Long enough that a test finishing at all proves the runaway was stopped by other means. */
const NEVER_MS = 600_000;
const RUNAWAY = "SELECT pg_sleep(600)";

let database: TestDatabase;
let owner: pg.Client;
const runners: PostgresSqlRunner[] = [];

function console_(
  options: Partial<ConstructorParameters<typeof PostgresSqlRunner>[0]> = {},
): PostgresSqlRunner {
  const runner = new PostgresSqlRunner({ url: database.url, timeoutMs: 60_000, ...options });
  runners.push(runner);
  return runner;
}

/** The reader's queries running on the server now, by their text. */
async function readerQueries(): Promise<string[]> {
  const { rows } = await owner.query<{ query: string }>(
    "SELECT query FROM pg_stat_activity WHERE usename = $1 AND state = 'active'",
    [readerRoleName(database.name)],
  );
  return rows.map((r) => r.query);
}

/** Resolves once no query of the reader runs on the server (a test that never gets there times out). */
async function serverStopped(text: string): Promise<void> {
  while ((await readerQueries()).some((q) => q.includes(text))) await new Promise((r) => setTimeout(r, 50));
}

async function snapshot(): Promise<unknown> {
  const runs = await owner.query("SELECT * FROM runs ORDER BY run_id");
  const spans = await owner.query("SELECT count(*)::int AS n FROM spans");
  return { runs: runs.rows, spans: spans.rows };
}

beforeAll(async () => {
  database = await createTestDatabase();
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  await migrate(owner);
  await seedPostgres(owner);
});
afterAll(async () => {
  for (const runner of runners) await runner.close();
  await owner?.end();
  await database?.drop();
});

describe("PostgresSqlRunner", () => {
  it("answers as the SQLite console: columns, rows, exact nanoseconds, truncation", async () => {
    const runner = console_();
    await expect(
      runner.run("SELECT step, action, cost_usd FROM decisions WHERE run_id = 'task-123' ORDER BY ts;"),
    ).resolves.toMatchObject({
      columns: ["step", "action", "cost_usd"],
      rows: [[2, "refund", null]],
      truncated: false,
    });
    expect((await runner.run("SELECT start_ns FROM runs")).rows).toEqual([
      [(BigInt(STARTED + 1000) * 1_000_000n).toString()],
    ]);
    const many = await console_({ maxRows: 100 }).run(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT i FROM n",
    );
    expect(many.truncated).toBe(true);
    expect(many.rows).toHaveLength(100);
    expect(many.rows[99]).toEqual([100]);
  });

  it("caps the bytes of a result, and refuses a first row larger than the cap", async () => {
    const runner = console_({ maxBytes: 1_000 });
    const result = await runner.run("SELECT repeat('x', 100) FROM generate_series(1, 100)");
    expect(result.truncated).toBe(true);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(10);
    await expect(runner.run("SELECT repeat('x', 2000)")).rejects.toThrow(
      /first row alone is larger than the 1000 bytes/,
    );
  });

  it.each([
    ["SELEC 1", /^only read-only queries are allowed: start with SELECT/],
    ["SELECT run_id FRM runs", /^SQL syntax error near "runs"$/],
    ["SELECT (", /^SQL syntax error: the statement ends too early/],
    ["SELECT nothing FROM nowhere", /relation "nowhere" does not exist/],
  ])("names the problem of %s", async (sql, message) => {
    await expect(console_().run(sql)).rejects.toThrow(message);
  });

  it.each([
    ["INSERT INTO runs (run_id, updated_at) VALUES ('x', 'y')", /^only read-only queries are allowed/],
    ["UPDATE runs SET status = 'ok'", /^only read-only queries are allowed/],
    ["DELETE FROM runs", /^only read-only queries are allowed/],
    ["DROP TABLE spans", /^only read-only queries are allowed/],
    ["CREATE TABLE evil (x int)", /^only read-only queries are allowed/],
    ["TRUNCATE runs", /^only read-only queries are allowed/],
    // Past the first word, the database itself refuses.
    ["WITH gone AS (DELETE FROM runs RETURNING *) SELECT * FROM gone", /would write to the store$/],
    ["EXPLAIN ANALYZE DELETE FROM runs", /would write to the store$/],
    ["SELECT nextval('trace_key_seq')", /would write to the store|permission denied/],
    [
      "SELECT set_config('transaction_read_only', 'off', false)",
      /read-write mode must be set before any query/,
    ],
    ["COPY (SELECT 1) TO PROGRAM 'touch /tmp/flightrec-pwned'", /^only read-only queries are allowed/],
    ["SELECT pg_read_file('/etc/passwd')", /permission denied for function pg_read_file/],
    ["SELECT pg_ls_dir('.')", /permission denied for function pg_ls_dir/],
    ["SELECT lo_import('/etc/passwd')", /permission denied|would write to the store/],
    ["SELECT dblink_connect('dbname=postgres')", /function dblink_connect\(unknown\) does not exist/],
    ["CREATE EXTENSION dblink", /^only read-only queries are allowed/],
    ["SET ROLE postgres", /^only read-only queries are allowed/],
    ["RESET ROLE", /^only read-only queries are allowed/],
    ["SELECT set_config('role', 'postgres', false)", /permission denied to set role "postgres"/],
    [
      "SELECT set_config('session_authorization', 'postgres', false)",
      /permission denied to set session authorization/,
    ],
    ["SELECT 1; DELETE FROM runs", /more than one statement/],
    ["SELECT 1; SELECT 2", /more than one statement/],
    [`SELECT * FROM ${READER_TABLE}`, /permission denied for table flightrec_sql_reader/],
    ["SELECT * FROM flightrec_migrations", /permission denied for table flightrec_migrations/],
  ])("refuses %s and changes nothing", async (sql, message) => {
    const before = await snapshot();
    const refusal = console_().run(sql);
    await expect(refusal).rejects.toBeInstanceOf(QueryRejectedError);
    await expect(refusal).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
    expect(await snapshot()).toEqual(before);
  });

  it("rolls every query back: a notification it queued is never delivered", async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const heard: string[] = [];
    const marker = new Promise<void>((resolve) =>
      listener.on("notification", (n) => {
        heard.push(n.payload ?? "");
        if (n.payload === "marker") resolve();
      }),
    );
    await listener.query("LISTEN flightrec_test");
    await console_().run("SELECT pg_notify('flightrec_test', 'from the console')");
    await owner.query("NOTIFY flightrec_test, 'marker'");
    await marker;
    expect(heard).toEqual(["marker"]);
    await listener.end();
  });

  it("stops a runaway pg_sleep at the time limit, on the server, while ingest goes on", async () => {
    const runner = console_({ timeoutMs: 1_000 });
    const runaway = runner.run(RUNAWAY);
    // Ingest meanwhile: a write of the store's own user commits.
    await owner.query("INSERT INTO runs (run_id, updated_at) VALUES ('task-during-sql', now()::text)");
    await expect(runaway).rejects.toThrow(/^query stopped: it ran longer than the 1000 ms limit$/);
    await serverStopped("pg_sleep");
    expect((await owner.query("SELECT 1 FROM runs WHERE run_id = 'task-during-sql'")).rowCount).toBe(1);
    expect(
      (await runner.run("SELECT count(*) AS n FROM runs WHERE run_id = 'task-during-sql'")).rows,
    ).toEqual([[1]]);
    await owner.query("DELETE FROM runs WHERE run_id = 'task-during-sql'");
  });

  it("stops a runaway that turned its own statement_timeout off", async () => {
    const runner = console_({ timeoutMs: 1_000 });
    await expect(
      runner.run("SELECT set_config('statement_timeout', '0', false), pg_sleep(600)"),
    ).rejects.toThrow(/ran longer than the 1000 ms limit/);
    await serverStopped("pg_sleep");
  });

  it("cancels a running query on the server when its caller goes away, so the next one runs", async () => {
    const runner = console_({ timeoutMs: NEVER_MS, concurrency: 1 });
    const gone = new AbortController();
    const runaway = runner.run(RUNAWAY, { signal: gone.signal });
    while (!(await readerQueries()).includes(RUNAWAY)) await new Promise((r) => setTimeout(r, 20));
    const next = runner.run("SELECT 3 AS three");
    expect(runner.load).toEqual({ running: 1, waiting: 1 });
    gone.abort();
    await expect(runaway).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await next).rows).toEqual([[3]]);
    await serverStopped("pg_sleep");
  });

  it("never starts a query whose caller left while it was being connected", async () => {
    const runner = console_({ timeoutMs: NEVER_MS });
    await runner.run("SELECT 1"); // the role exists: the next query goes straight to a connection
    const gone = new AbortController();
    const left = runner.run(RUNAWAY, { signal: gone.signal });
    await Promise.resolve();
    gone.abort();
    await expect(left).rejects.toBeInstanceOf(QueryCancelledError);
    await serverStopped("pg_sleep");
    expect((await runner.run("SELECT 6 AS six")).rows).toEqual([[6]]);
  });

  it("works through a connection pooler that refuses startup options (PgBouncer), its limits intact", async () => {
    const proxy = await startPoolerProxy(TEST_POSTGRES);
    try {
      const url = Object.assign(new URL(database.url), { port: String(proxy.port) }).toString();
      const runner = console_({ url, timeoutMs: 1_000 });
      // The store's tables by their plain names: the search_path holds without a startup option.
      expect((await runner.run("SELECT 1 AS one FROM runs LIMIT 1")).rows).toEqual([[1]]);
      await expect(runner.run(RUNAWAY)).rejects.toThrow(QueryRejectedError);
      expect(proxy.startups.length).toBeGreaterThan(0);
      expect(proxy.startups.filter((names) => names.includes("options"))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("runs at most `concurrency` at once and refuses queries beyond its line with 429", async () => {
    const runner = console_({ timeoutMs: NEVER_MS, concurrency: 1, maxWaiting: 1 });
    const gone = new AbortController();
    const runaway = runner.run(RUNAWAY, { signal: gone.signal });
    const waiting = runner.run("SELECT 4 AS four");
    await expect(runner.run("SELECT 5")).rejects.toBeInstanceOf(SqlBusyError);
    gone.abort();
    await expect(runaway).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await waiting).rows).toEqual([[4]]);
  });
});

describe("the reader role", () => {
  /** A session of the reader outside the console: what the role alone allows. */
  async function asReader<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    await console_().run("SELECT 1"); // makes the role
    const { rows } = await owner.query<{ password: string }>(`SELECT password FROM ${READER_TABLE}`);
    const url = new URL(database.url);
    url.username = readerRoleName(database.name);
    url.password = rows[0]!.password;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it.each([
    ["INSERT INTO runs (run_id, updated_at) VALUES ('x', 'y')", /permission denied for table runs/],
    ["DELETE FROM spans", /permission denied for table spans/],
    ["CREATE TABLE evil (x int)", /permission denied for schema public/],
    [
      "CREATE EXTENSION dblink",
      /permission denied to create extension "dblink"|extension "dblink" is not available/,
    ],
    ["SET ROLE postgres", /permission denied to set role "postgres"/],
    ["SELECT pg_read_file('/etc/passwd')", /permission denied for function pg_read_file/],
    [
      "COPY runs TO PROGRAM 'true'",
      /permission denied to COPY to or from an external program|must be superuser/,
    ],
  ])("cannot %s even outside a read-only transaction", async (sql, message) => {
    await asReader(async (client) => {
      await client.query("BEGIN READ WRITE");
      await expect(client.query(sql)).rejects.toThrow(message);
      await client.query("ROLLBACK");
    });
  });

  it("is read-only by default, a member of no role, and may read exactly the store's relations", async () => {
    await asReader(async (client) => {
      const { rows } = await client.query(
        "SELECT current_setting('default_transaction_read_only') AS ro, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolinherit, (SELECT count(*)::int FROM pg_auth_members m WHERE m.member = r.oid) AS memberships FROM pg_roles r WHERE r.rolname = current_user",
      );
      expect(rows).toEqual([
        {
          ro: "on",
          rolsuper: false,
          rolcreaterole: false,
          rolcreatedb: false,
          rolinherit: false,
          memberships: 0,
        },
      ]);
    });
    const { rows } = await owner.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
          AND has_table_privilege($1, c.oid, 'SELECT') ORDER BY 1`,
      [readerRoleName(database.name)],
    );
    expect(rows.map((r) => r.name)).toEqual([...READABLE_RELATIONS].sort());
    // Every relation of the store but the bookkeeping ones is readable: a new table is not forgotten.
    const { rows: all } = await owner.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition ORDER BY 1`,
    );
    expect(all.map((r) => r.name)).toEqual(
      [...READABLE_RELATIONS, "flightrec_migrations", READER_TABLE].sort(),
    );
  });

  it("is made once when several consoles start at once, all logging in with the one password", async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => console_().run("SELECT current_user AS who")));
    expect(new Set(answers.map((a) => a.rows[0]![0]))).toEqual(new Set([readerRoleName(database.name)]));
  });
});

describe("a store whose user is not a superuser", () => {
  let store: TestDatabase;
  const user = `flightrec_owner_${Math.random().toString(16).slice(2, 10)}`;

  /** The maintenance connection, as the test server's superuser. */
  async function asAdmin(sql: string): Promise<void> {
    const admin = new pg.Client({ ...TEST_POSTGRES, database: "postgres" });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    store = await createTestDatabase();
    await asAdmin(`CREATE ROLE ${user} LOGIN CREATEROLE`);
    await asAdmin(`ALTER DATABASE ${store.name} OWNER TO ${user}`);
    const url = new URL(store.url);
    url.username = user;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(client);
    await client.end();
  });
  afterAll(async () => {
    await store?.drop();
    await asAdmin(`DROP ROLE IF EXISTS ${user}`);
  });

  const urlOf = () => Object.assign(new URL(store.url), { username: user }).toString();

  it("makes the reader with CREATEROLE alone, and the reader still cannot write", async () => {
    const runner = new PostgresSqlRunner({ url: urlOf(), timeoutMs: 60_000 });
    try {
      expect((await runner.run("SELECT count(*) AS n FROM runs")).rows).toEqual([[0]]);
      await expect(runner.run("WITH x AS (DELETE FROM runs RETURNING 1) SELECT * FROM x")).rejects.toThrow(
        /would write to the store/,
      );
    } finally {
      await runner.close();
    }
    // A second collector (or the next start) finds the role made and logs in with its password.
    const again = new PostgresSqlRunner({ url: urlOf(), timeoutMs: 60_000 });
    try {
      expect((await again.run("SELECT current_user AS who")).rows).toEqual([[readerRoleName(store.name)]]);
    } finally {
      await again.close();
    }
  });

  it("needs CREATEROLE no more once the reader is made: later starts leave a role that is as it should be alone", async () => {
    const first = new PostgresSqlRunner({ url: urlOf(), timeoutMs: 60_000 });
    try {
      expect((await first.run("SELECT 1 AS one")).rows).toEqual([[1]]);
    } finally {
      await first.close();
    }
    await asAdmin(`ALTER ROLE ${user} NOCREATEROLE`);
    const next = new PostgresSqlRunner({ url: urlOf(), timeoutMs: 60_000 });
    try {
      expect((await next.run("SELECT current_user AS who")).rows).toEqual([[readerRoleName(store.name)]]);
      await expect(next.run("WITH x AS (DELETE FROM runs RETURNING 1) SELECT * FROM x")).rejects.toThrow(
        /would write to the store/,
      );
    } finally {
      await next.close();
      await asAdmin(`ALTER ROLE ${user} CREATEROLE`);
    }
  });

  it("answers 503 naming CREATEROLE when the user may not (re)make the reader, and works once it may", async () => {
    // The reader's password is gone (a restore without it, say): a new one needs CREATEROLE.
    const owner = new pg.Client({ connectionString: urlOf() });
    await owner.connect();
    await owner.query(`DELETE FROM ${READER_TABLE}`);
    await owner.end();
    await asAdmin(`ALTER ROLE ${user} NOCREATEROLE`);
    const runner = new PostgresSqlRunner({ url: urlOf(), timeoutMs: 60_000 });
    try {
      await expect(runner.run("SELECT 1")).rejects.toMatchObject({
        status: 503,
        message: expect.stringMatching(/needs CREATEROLE/),
      });
      await asAdmin(`ALTER ROLE ${user} CREATEROLE`);
      expect((await runner.run("SELECT 1 AS one")).rows).toEqual([[1]]);
    } finally {
      await runner.close();
    }
  });
});
