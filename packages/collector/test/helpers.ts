import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createLogger } from "../src/logger.js";
import { type RunningServer, type ServerOptions, startServer } from "../src/server.js";

export interface TestCollector {
  server: RunningServer;
  dbPath: string;
  /** A separate read connection to the store file, as a user's SQL client would have. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

/** Starts the real collector on a free port of 127.0.0.1 with a fresh store file. */
export async function startTestCollector(options: Partial<ServerOptions> = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-test-"));
  const dbPath = join(dir, "store.db");
  const server = await startServer({
    db: dbPath,
    host: "127.0.0.1",
    port: 0,
    logger: createLogger("silent"),
    ...options,
  });
  return {
    server,
    dbPath,
    query: <T>(sql: string, ...params: unknown[]) => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function postTraces(
  url: string,
  body: string | Uint8Array,
  contentType = "application/json",
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": contentType, ...headers },
    body: body as RequestInit["body"],
  });
}
