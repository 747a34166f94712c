import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, type ServerOptions, startServer } from "@flightrec/collector";

export interface TestCollector {
  url: string;
  /** Rows of a read-only query through `POST /api/sql`, as objects. */
  sql<T = Record<string, unknown>>(text: string): Promise<T[]>;
  stop(): Promise<void>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The real collector on a free port of 127.0.0.1 with a fresh store file. */
export async function startTestCollector(options: Partial<ServerOptions> = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-langgraph-"));
  const server: RunningServer = await startServer({
    db: join(dir, "store.db"),
    host: "127.0.0.1",
    port: 0,
    logger: quiet,
    ...options,
  });
  return {
    url: server.url,
    sql: async <T>(text: string) => {
      const response = await fetch(`${server.url}/api/sql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sql: text }),
      });
      if (!response.ok) throw new Error(`POST /api/sql ${response.status}: ${await response.text()}`);
      const { columns, rows } = (await response.json()) as { columns: string[]; rows: unknown[][] };
      return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))) as T[];
    },
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
