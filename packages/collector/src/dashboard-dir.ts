import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the built dashboard lives: FLIGHTREC_DASHBOARD_DIR, else `dashboard/` inside this
 * package (a published build), else the workspace's `packages/dashboard/dist`. The collector
 * does not depend on the dashboard package, so the dashboard's tests can depend on the collector.
 */
export function findDashboardDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FLIGHTREC_DASHBOARD_DIR) return env.FLIGHTREC_DASHBOARD_DIR;
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
  const candidates = [join(packageRoot, "dashboard"), join(packageRoot, "..", "dashboard", "dist")];
  return candidates.find((dir) => existsSync(join(dir, "index.html")));
}
