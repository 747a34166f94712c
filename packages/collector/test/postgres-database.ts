import { randomBytes } from "node:crypto";
import pg from "pg";
import { readerRoleName } from "../src/sql/postgres/reader-role.js";

/**
 * The PostgreSQL server the tests use: the local one, trust authentication. A test file creates
 * its own database on it and drops it after, so files run in parallel without seeing each
 * other's rows. Where no server answers at all, vitest.config.ts leaves the PostgreSQL tests out (CI
 * requires them); one that answers but refuses fails the tests.
 */
export const TEST_POSTGRES = { host: "127.0.0.1", port: 5432, user: "postgres" } as const;

export interface TestDatabase {
  /** Database name: `flightrec_test_` and random hex. */
  name: string;
  /** Connection URL of the new database, for `PostgresStore.open` or `flightrec serve --store`. */
  url: string;
  /** Runs `work` on a connection of its own to the database, closed after. */
  withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T>;
  /** Drops the database, ending connections still open to it. */
  drop(): Promise<void>;
}

async function onDatabase<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...TEST_POSTGRES, database, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a random name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `flightrec_test_${randomBytes(6).toString("hex")}`;
  await onDatabase("postgres", (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: `postgres://${TEST_POSTGRES.user}@${TEST_POSTGRES.host}:${TEST_POSTGRES.port}/${name}`,
    withClient: (work) => onDatabase(name, work),
    drop: async () => {
      await onDatabase("postgres", async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        // The SQL console's role of this database (roles are the server's, not the database's).
        await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(readerRoleName(name))}`);
      });
    },
  };
}
