import type Database from "better-sqlite3";
import { lowerThreadPriority } from "../thread-priority.js";
import { openReadOnlyDatabase, runReadOnlyQuery } from "./read-only-query.js";

/**
 * A child process that runs user SQL, one statement at a time. better-sqlite3 cannot interrupt
 * a running statement, so the parent kills this process when a query overruns its time limit
 * or its client goes away. It says `ready` once loaded: the time limit starts only then.
 */
interface Request {
  id: number;
  sql: string;
  maxRows: number;
  maxBytes: number;
}

const path = process.argv[2];
if (!path || !process.send) {
  console.error("query-process: run by SqlRunner with the store path");
  process.exit(2);
}
let db: Database.Database | null = null;
// User SQL is background work: under contention the collector's own threads go first.
lowerThreadPriority(10);

process.on("message", (message: Request) => {
  try {
    db ??= openReadOnlyDatabase(path);
    const started = performance.now();
    const result = runReadOnlyQuery(db, message.sql, message.maxRows, message.maxBytes);
    process.send!({ id: message.id, ok: true, result, elapsedMs: performance.now() - started });
  } catch (error) {
    process.send!({ id: message.id, ok: false, error: (error as Error).message });
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ ready: true });
