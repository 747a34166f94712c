import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, type ServerOptions, startServer } from "@flightrec/collector";

/** The built dashboard; FLIGHTREC_DASHBOARD_DIST points at another build (e.g. an older one, to compare). */
export const DASHBOARD_DIST =
  process.env.FLIGHTREC_DASHBOARD_DIST || join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist");

export interface TestCollector {
  server: RunningServer;
  url: string;
  dbPath: string;
  stop(): Promise<void>;
}

/** The real collector on a free port of 127.0.0.1, with a fresh store and the built dashboard. */
export async function startTestCollector(
  options: Pick<ServerOptions, "interrupts" | "token"> = {},
): Promise<TestCollector> {
  if (!existsSync(join(DASHBOARD_DIST, "index.html"))) {
    throw new Error(`the dashboard is not built (${DASHBOARD_DIST}); run \`pnpm build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), "flightrec-dash-"));
  const dbPath = join(dir, "store.db");
  const server = await startServer({
    db: dbPath,
    host: "127.0.0.1",
    port: 0,
    dashboardDir: DASHBOARD_DIST,
    ...options,
  });
  return {
    server,
    url: server.url,
    dbPath,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
