import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueryRejectedError, runReadOnlyQuery } from "./read-only-query.js";

describe("runReadOnlyQuery", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(":memory:");
  });
  afterEach(() => db.close());

  const rowsOf = (n: number, chars: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${n}) SELECT printf('%.${chars}c', 'x') FROM n`;

  it("stops at the byte limit and says the result is truncated", () => {
    const result = runReadOnlyQuery(db, rowsOf(100, 100), 10_000, 1_000);
    expect(result.truncated).toBe(true);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(10);
  });

  it("returns a result under the byte limit whole", () => {
    const result = runReadOnlyQuery(db, rowsOf(5, 100), 10_000, 1_000);
    expect(result).toMatchObject({ truncated: false, rows: expect.any(Array) });
    expect(result.rows).toHaveLength(5);
  });

  it("refuses a single row larger than the byte limit, naming the limit", () => {
    expect(() => runReadOnlyQuery(db, "SELECT zeroblob(2000)", 10_000, 1_000)).toThrow(QueryRejectedError);
    expect(() => runReadOnlyQuery(db, "SELECT zeroblob(2000)", 10_000, 1_000)).toThrow(/1000 bytes/);
  });

  it.each([
    ["SELEC 1", /^SQL syntax error near "SELEC"$/],
    ["SELECT run_id FRM runs", /^SQL syntax error near "runs"$/],
    ["SELECT (", /^SQL syntax error: the statement ends too early/],
  ])("calls %s a syntax error and says where, not a forbidden statement", (sql, message) => {
    db.exec("CREATE TABLE runs (run_id TEXT)");
    expect(() => runReadOnlyQuery(db, sql)).toThrow(message);
  });

  it("calls only a statement that would change the store a write", () => {
    db.exec("CREATE TABLE runs (run_id TEXT)");
    expect(() => runReadOnlyQuery(db, "DELETE FROM runs")).toThrow(/would write to the store/);
    for (const sql of ["ATTACH DATABASE ':memory:' AS other", "PRAGMA table_info(runs)", "BEGIN"]) {
      expect(() => runReadOnlyQuery(db, sql)).toThrow(/start with SELECT, WITH, VALUES or EXPLAIN$/);
    }
  });
});
