import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createPool } from "../src/store/postgres/connection.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { DecisionStore } from "../src/store/store.js";
import { createTestDatabase, type TestDatabase } from "./postgres-database.js";

const ALL_STORE_KINDS = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof ALL_STORE_KINDS)[number];

/**
 * The stores the contract tests run against: PostgreSQL too unless the test config found no server
 * to run it on (vitest.config.ts; CI requires one).
 */
export const STORE_KINDS: readonly StoreKind[] =
  process.env.FLIGHTREC_POSTGRES === "absent" ? ["sqlite"] : ALL_STORE_KINDS;

/** A store under test, and a connection beside it that reads its tables as a user's SQL client would. */
export interface StoreUnderTest {
  kind: StoreKind;
  store: DecisionStore;
  /** Rows of one statement; `?` placeholders on both stores. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs one statement that returns no rows (an UPDATE a test needs); `?` placeholders. */
  exec(sql: string, ...params: unknown[]): Promise<void>;
  /** Closes the store and opens it again on the same data, as a restarted collector does. */
  reopen(): Promise<void>;
  /** Empties the store and opens it again: a fresh store within one test. */
  reset(): Promise<void>;
  /** Opens a second store on the same data (a second collector; SQLite: a second connection). */
  openAnother(): Promise<DecisionStore>;
}

/**
 * A fresh, empty store of `kind` for each test of the calling file. PostgreSQL: one database per
 * file (created before its first test, dropped after its last), emptied between tests.
 */
export function useStore(kind: StoreKind, options: { readThreads?: number } = {}): () => StoreUnderTest {
  let current: StoreUnderTest | null = null;
  let cleanup: (() => Promise<void>) | null = null;
  let database: TestDatabase | null = null;
  let pool: pg.Pool | null = null;
  if (kind === "postgres") {
    beforeAll(async () => {
      database = await createTestDatabase();
      // The schema exists from here on: tests empty it rather than create it again.
      await (await PostgresStore.open(database.url)).close();
      pool = createPool(database.url, 2);
    });
    afterAll(async () => {
      await pool?.end();
      await database?.drop();
    });
  }
  beforeEach(async () => {
    if (kind === "sqlite") {
      const dir = mkdtempSync(join(tmpdir(), "flightrec-contract-"));
      const path = join(dir, "store.db");
      const open = () => SqliteStore.open(path, options);
      const remove = () => {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
      };
      let store = open();
      const others: SqliteStore[] = [];
      current = {
        kind,
        get store() {
          return store;
        },
        query: async <T>(sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params) as T[],
        exec: async (sql: string, ...params: unknown[]) => {
          store.db.prepare(sql).run(...params);
        },
        reopen: async () => {
          await store.close();
          store = open();
        },
        reset: async () => {
          await store.close();
          remove();
          store = open();
        },
        openAnother: async () => {
          const other = open();
          others.push(other);
          return other;
        },
      };
      cleanup = async () => {
        for (const other of others) await other.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      };
    } else {
      const url = database!.url;
      await truncate(pool!);
      let store = await PostgresStore.open(url);
      const others: PostgresStore[] = [];
      current = {
        kind,
        get store() {
          return store;
        },
        query: async <T>(sql: string, ...params: unknown[]) =>
          (await pool!.query(positional(sql), params)).rows as T[],
        exec: async (sql: string, ...params: unknown[]) => {
          await pool!.query(positional(sql), params);
        },
        reopen: async () => {
          await store.close();
          store = await PostgresStore.open(url);
        },
        reset: async () => {
          await store.close();
          await truncate(pool!);
          store = await PostgresStore.open(url);
        },
        openAnother: async () => {
          const other = await PostgresStore.open(url);
          others.push(other);
          return other;
        },
      };
      cleanup = async () => {
        for (const other of others) await other.close();
        await store.close();
      };
    }
  });
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
    current = null;
  });
  return () => {
    if (!current) throw new Error("the store exists only inside a test");
    return current;
  };
}

/** `?` placeholders as PostgreSQL's `$n`. */
function positional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function truncate(pool: pg.Pool): Promise<void> {
  await pool.query(
    "TRUNCATE runs, spans, traces, decisions, failures, interruptions, logs, graph_checkpoints, graph_writes",
  );
}
