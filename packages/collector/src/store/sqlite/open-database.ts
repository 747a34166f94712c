import Database from "better-sqlite3";
import { migrate } from "./migrations.js";

/** Opens (creating if needed) a store file for writing: WAL, NORMAL sync, schema up to date. */
export function openWritableDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

/**
 * Opens a store file for reading only (read threads): the connection cannot write whatever it
 * runs. In WAL it reads the last commit while the writer goes on.
 */
export function openReadDatabase(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}
