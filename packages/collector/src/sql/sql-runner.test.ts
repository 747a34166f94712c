import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueryCancelledError } from "./read-only-query.js";
import { SqlBusyError, SqlRunner } from "./sql-runner.js";

const RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
/** Long enough that a test finishing at all proves the runaway was stopped by other means. */
const NEVER_MS = 600_000;

describe("SqlRunner", () => {
  let dir: string;
  let db: string;
  let runner: SqlRunner | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-sql-"));
    db = join(dir, "store.db");
    new Database(db).close();
  });
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves once the runner's load is as given (its state changes only as processes answer). */
  async function loadBecomes(expected: { running: number; waiting: number }): Promise<void> {
    while (JSON.stringify(runner!.load) !== JSON.stringify(expected))
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it("counts the time limit from when a loaded query process takes the query, not from the process's start", async () => {
    // A query process that takes 4 s to load, as a cold start can on a busy machine.
    const slowStart = join(dir, "slow-start.mjs");
    writeFileSync(slowStart, "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);\n");
    runner = new SqlRunner({ db, timeoutMs: 2_000 });
    const before = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${before ?? ""} --import ${slowStart}`;
    const answer = runner.run("SELECT 1 AS one"); // the process is started here
    process.env.NODE_OPTIONS = before;
    if (before === undefined) delete process.env.NODE_OPTIONS;
    expect(await answer).toMatchObject({ columns: ["one"], rows: [[1]], truncated: false });
  });

  it("runs up to `concurrency` queries at once, each in its own process", async () => {
    runner = new SqlRunner({ db, timeoutMs: NEVER_MS, concurrency: 2 });
    const stop = new AbortController();
    const runaway = runner.run(RUNAWAY, { signal: stop.signal });
    await loadBecomes({ running: 1, waiting: 0 });
    expect((await runner.run("SELECT 2 AS two")).rows).toEqual([[2]]);
    stop.abort();
    await expect(runaway).rejects.toBeInstanceOf(QueryCancelledError);
  });

  it("stops a running query whose caller went away, so the next one runs", async () => {
    runner = new SqlRunner({ db, timeoutMs: NEVER_MS, concurrency: 1 });
    const stop = new AbortController();
    const runaway = runner.run(RUNAWAY, { signal: stop.signal });
    await loadBecomes({ running: 1, waiting: 0 });
    const next = runner.run("SELECT 3 AS three");
    await loadBecomes({ running: 1, waiting: 1 });
    stop.abort();
    await expect(runaway).rejects.toThrow(/client went away/);
    expect((await next).rows).toEqual([[3]]);
  });

  it("drops a waiting query whose caller went away, and refuses queries beyond its line with 429", async () => {
    runner = new SqlRunner({ db, timeoutMs: NEVER_MS, concurrency: 1, maxWaiting: 1 });
    const stopRunaway = new AbortController();
    const runaway = runner.run(RUNAWAY, { signal: stopRunaway.signal });
    await loadBecomes({ running: 1, waiting: 0 });
    const leave = new AbortController();
    const waiting = runner.run("SELECT 4", { signal: leave.signal });
    const refused = runner.run("SELECT 5");
    await expect(refused).rejects.toBeInstanceOf(SqlBusyError);
    await expect(refused).rejects.toMatchObject({ status: 429, headers: { "retry-after": "1" } });
    leave.abort();
    await expect(waiting).rejects.toBeInstanceOf(QueryCancelledError);
    expect(runner.load).toEqual({ running: 1, waiting: 0 });
    stopRunaway.abort();
    await expect(runaway).rejects.toBeInstanceOf(QueryCancelledError);
    expect((await runner.run("SELECT 6 AS six")).rows).toEqual([[6]]);
  });
});
