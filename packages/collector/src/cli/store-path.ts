import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type OptionSpec, type Setting, UsageError } from "./options.js";

/** `--db`, the same for every command that opens the store; only what it is for differs. */
export function storeOption(help: string): OptionSpec {
  return { name: "db", kind: "string", value: "PATH", default: "./flightrec.db", env: "FLIGHTREC_DB", help };
}

/** Errors about the store file name the file, as the user will look for it: an absolute path. */

/** `query` reads an existing store; SQLite alone would say "unable to open database file". */
export function storeToRead(path: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new Error(
      `no store at ${absolute}: the file does not exist (give --db or FLIGHTREC_DB the file that flightrec serve writes)`,
    );
  }
  if (!statSync(absolute).isFile()) throw new Error(`the store ${absolute} is not a file`);
  return path;
}

/** `serve` creates the store when missing, but not the folders above it. */
export function storeToWrite(path: string): string {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  if (!existsSync(folder))
    throw new Error(`cannot create the store ${absolute}: the folder ${folder} does not exist`);
  if (existsSync(absolute) && !statSync(absolute).isFile())
    throw new Error(`the store ${absolute} is not a file`);
  return path;
}

/** Why `serve` could not open the store at `path`, SQLite's reason with the file named. */
export function storeOpenError(path: string, error: Error): Error {
  return new Error(`cannot open the store ${resolve(path)}: ${error.message}`, { cause: error });
}

/** SQLite's own errors (better-sqlite3 gives them codes starting with SQLITE_). */
export function isSqliteError(error: unknown): error is Error {
  return error instanceof Error && /^SQLITE_/.test(String((error as { code?: unknown }).code ?? ""));
}

/** `serve --store`: a PostgreSQL database instead of the SQLite file, shared by any number of collectors. */
export const STORE_URL_OPTION: OptionSpec = {
  name: "store",
  kind: "string",
  value: "URL",
  env: "FLIGHTREC_STORE",
  help: "PostgreSQL store (postgres://user@host:5432/db) instead of the SQLite file; wins over --db",
};

/** The PostgreSQL URL given, checked; undefined when none was (the SQLite file is the store). */
export function postgresUrlOf(setting: Setting): string | undefined {
  const text = setting.value;
  if (text === undefined || text === "") return undefined;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) {
    throw new UsageError(
      `${setting.from} must be a PostgreSQL URL (postgres://user@host:5432/database), got "${redactedStoreUrl(text)}"; percent-encode special characters in the user name and password (/ is %2F), or give a SQLite file with --db`,
    );
  }
  return text;
}

/**
 * A store URL fit for logs and errors: its password replaced, whether or not it parses (a password
 * with an unencoded "/", "#", "?" or "@" does not): all between the user name and the last "@" goes.
 */
export function redactedStoreUrl(text: string): string {
  const hidden = text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):.*@/i, "$1:***@");
  try {
    const url = new URL(hidden);
    for (const key of [...url.searchParams.keys()]) {
      if (/pass/i.test(key)) url.searchParams.set(key, "***");
    }
    return url.toString();
  } catch {
    return hidden;
  }
}
