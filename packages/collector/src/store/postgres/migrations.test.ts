import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/postgres-database.js";
import { MIGRATIONS, migrate } from "./migrations.js";
import {
  createPartitions,
  dayAt,
  dayOfKey,
  keyRangeOfDay,
  partitionDays,
  partitionName,
} from "./partitions.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const withClient = <T>(work: (client: pg.Client) => Promise<T>) => database.withClient(work);

describe("PostgreSQL migrations", () => {
  it("apply once when several collectors start at the same time", async () => {
    await Promise.all([1, 2, 3, 4].map(() => withClient(migrate)));
    const versions = await withClient(async (c) =>
      (await c.query("SELECT version FROM flightrec_migrations ORDER BY version")).rows.map((r) => r.version),
    );
    expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1));
    // Again: nothing to do, nothing fails.
    await withClient(migrate);
  });

  it("create the SQLite store's tables and views", async () => {
    const names = await withClient(async (c) =>
      (
        await c.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
        )
      ).rows.map((r) => r.table_name),
    );
    for (const name of [
      "runs",
      "spans",
      "traces",
      "decisions",
      "failures",
      "interruptions",
      "logs",
      "graph_checkpoints",
      "graph_writes",
      "llm_calls",
      "tool_calls",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("refuse a database newer than this flightrec", async () => {
    await withClient(async (c) => {
      await c.query("INSERT INTO flightrec_migrations (version) VALUES ($1)", [MIGRATIONS.length + 1]);
      await expect(migrate(c)).rejects.toThrow(/newer than this flightrec/);
      await c.query("DELETE FROM flightrec_migrations WHERE version = $1", [MIGRATIONS.length + 1]);
    });
  });
});

describe("span partitions", () => {
  it("are one per day, created once however many ask at once", async () => {
    const today = dayAt(Date.parse("2026-12-04T10:00:00Z"));
    await Promise.all([1, 2, 3].map(() => withClient((c) => createPartitions(c, [today, today + 1]))));
    const days = await withClient(partitionDays);
    expect(days.filter((d) => d === today || d === today + 1)).toEqual([today, today + 1]);
    expect(partitionName(today)).toBe("spans_20261204");
    const [first, next] = keyRangeOfDay(today);
    expect(dayOfKey(first)).toBe(today);
    expect(dayOfKey(next - 1n)).toBe(today);
    expect(dayOfKey(next)).toBe(today + 1);
  });

  it("route a span to the partition of its key's day", async () => {
    const day = dayAt(Date.parse("2026-12-05T10:00:00Z"));
    const [first] = keyRangeOfDay(day);
    const where = await withClient(async (c) => {
      await c.query(
        `INSERT INTO spans (span_key, trace_id, span_id, kind, name, status, started_at, start_ns, attributes)
         VALUES ($1, 't', 's', 'other', 'n', 'ok', '2026-12-05T10:00:00.000Z', 0, '{}')`,
        [(first + 5n).toString()],
      );
      return (await c.query("SELECT tableoid::regclass::text AS part FROM spans")).rows[0].part;
    });
    expect(where).toBe(partitionName(day));
  });

  it("refuse a span whose day has no partition, rather than keep it somewhere unknown", async () => {
    const [first] = keyRangeOfDay(dayAt(Date.parse("2030-01-01T00:00:00Z")));
    await withClient(async (c) => {
      await expect(
        c.query(
          `INSERT INTO spans (span_key, trace_id, span_id, kind, name, status, started_at, start_ns, attributes)
           VALUES ($1, 't', 's2', 'other', 'n', 'ok', 'x', 0, '{}')`,
          [first.toString()],
        ),
      ).rejects.toThrow(/no partition/);
    });
  });
});
