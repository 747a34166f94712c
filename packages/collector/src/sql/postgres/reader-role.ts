import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { ensureSqliteFunctions } from "./sqlite-functions.js";

/**
 * The relations the SQL console may read: the store's tables and views (store/postgres/migrations.ts),
 * as the SQLite console reads them. A relation a migration adds must be added here too
 * (reader-role.test.ts fails until it is); `flightrec_migrations` and the reader's own table are left out.
 */
export const READABLE_RELATIONS = [
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
] as const;

/** How the console's connections name themselves in `pg_stat_activity` (the store's are "flightrec"). */
export const CONSOLE_APPLICATION_NAME = "flightrec sql console";

/** Where the reader role's password is kept: readable by the store's owner only. */
export const READER_TABLE = "flightrec_sql_reader";

export interface ReaderLogin {
  role: string;
  password: string;
  /** The schema holding the store's tables: the reader's search_path. */
  schema: string;
}

/**
 * The role that runs console queries on a database. Roles belong to the whole server, grants to one
 * database, so each database has its own: a reader of one store reads nothing of another.
 */
export function readerRoleName(database: string): string {
  const plain = `flightrec_reader_${database}`;
  if (/^[a-z0-9_]+$/.test(plain) && Buffer.byteLength(plain) <= 63) return plain;
  return `flightrec_reader_${createHash("sha256").update(database).digest("hex").slice(0, 24)}`;
}

/**
 * Makes the reader role of the store's database, idempotently, as the store's owner (`ownerUrl`):
 * a login role that is nobody's member and owns nothing (it cannot switch to another role, with
 * SET ROLE or set_config), may only SELECT the store's relations, and whose transactions are read-only
 * by default. Its password is random, kept in READER_TABLE, so every collector on the database logs
 * in with the one the first of them chose. Collectors that start at once take turns (advisory lock).
 */
export async function ensureReaderRole(ownerUrl: string): Promise<ReaderLogin> {
  const client = new pg.Client({
    connectionString: ownerUrl,
    application_name: CONSOLE_APPLICATION_NAME,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('flightrec sql reader'))");
    const { rows: where } = await client.query<{ database: string; schema: string | null }>(
      `SELECT current_database() AS database,
              (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.oid = to_regclass('runs')) AS schema`,
    );
    const { database, schema } = where[0]!;
    if (!schema)
      throw new Error(`database "${database}" has no Flightrec tables: start flightrec serve on it first`);
    const role = readerRoleName(database);
    const id = client.escapeIdentifier(role);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${client.escapeIdentifier(schema)}.${READER_TABLE} (role text PRIMARY KEY, password text NOT NULL)`,
    );
    await client.query(`REVOKE ALL ON ${READER_TABLE} FROM PUBLIC`);
    const stored = await client.query<{ password: string }>(
      `SELECT password FROM ${READER_TABLE} WHERE role = $1`,
      [role],
    );
    const { rows: found } = await client.query<{
      rolsuper: boolean;
      rolreplication: boolean;
      rolbypassrls: boolean;
      as_needed: boolean;
    }>(
      `SELECT rolsuper, rolreplication, rolbypassrls,
              rolcanlogin AND NOT rolcreatedb AND NOT rolcreaterole AND NOT rolinherit AND NOT rolsuper
                AND NOT rolreplication AND NOT rolbypassrls
                AND 'default_transaction_read_only=on' = ANY(coalesce(rolconfig, '{}')) AS as_needed
       FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    const exists = found.length > 0;
    let password = stored.rows[0]?.password;
    // Naming SUPERUSER, REPLICATION or BYPASSRLS in ALTER ROLE takes a superuser, even to say NO: an
    // existing role is told only those it has (and then only a superuser can take them away).
    const existing = found[0];
    const attributes = [
      "LOGIN NOCREATEDB NOCREATEROLE NOINHERIT",
      ...(!existing || existing.rolsuper ? ["NOSUPERUSER"] : []),
      ...(!existing || existing.rolreplication ? ["NOREPLICATION"] : []),
      ...(!existing || existing.rolbypassrls ? ["NOBYPASSRLS"] : []),
    ].join(" ");
    if (!exists || !password) {
      password ??= randomBytes(24).toString("hex");
      await client.query(
        `${exists ? "ALTER" : "CREATE"} ROLE ${id} ${attributes} PASSWORD ${client.escapeLiteral(password)}`,
      );
      await client.query(`ALTER ROLE ${id} SET default_transaction_read_only = on`);
      await client.query(
        `INSERT INTO ${READER_TABLE} (role, password) VALUES ($1, $2)
         ON CONFLICT (role) DO UPDATE SET password = excluded.password`,
        [role, password],
      );
    } else if (!existing!.as_needed) {
      // Made by an older flightrec or changed by hand: back to what the console relies on.
      await client.query(`ALTER ROLE ${id} ${attributes}`);
      await client.query(`ALTER ROLE ${id} SET default_transaction_read_only = on`);
    }
    // A role already as the console needs it is left alone: changing a role takes CREATEROLE, which
    // the store's user may give up once the role is made (on PostgreSQL 15 it is close to superuser).
    // Usually PUBLIC has both already; granting them takes the database's or schema's owner, which
    // the store's user need not be.
    const { rows: can } = await client.query<{ connect: boolean; usage: boolean }>(
      `SELECT has_database_privilege($1, current_database(), 'CONNECT') AS connect,
              has_schema_privilege($1, $2, 'USAGE') AS usage`,
      [role, schema],
    );
    if (!can[0]!.connect)
      await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(database)} TO ${id}`);
    if (!can[0]!.usage)
      await client.query(`GRANT USAGE ON SCHEMA ${client.escapeIdentifier(schema)} TO ${id}`);
    const { rows: present } = await client.query<{ name: string }>(
      "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL",
      [READABLE_RELATIONS],
    );
    if (present.length > 0) {
      const names = present.map((r) => client.escapeIdentifier(r.name)).join(", ");
      await client.query(`GRANT SELECT ON ${names} TO ${id}`);
    }
    await ensureSqliteFunctions(client);
    await client.query("COMMIT");
    return { role, password, schema };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The store's URL with the reader's login in place of the owner's. */
export function readerUrl(ownerUrl: string, login: ReaderLogin): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(login.role);
  url.password = encodeURIComponent(login.password);
  return url.toString();
}
