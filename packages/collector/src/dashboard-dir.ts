import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the built dashboard lives: FLIGHTREC_DASHBOARD_DIR, else the workspace's
 * `packages/dashboard/dist`, else `dashboard/` inside this package (the copy a packed collector
 * carries). The workspace build comes first so that a copy left by packing never hides a newer
 * build; installed from npm there is no sibling dashboard package (it is private). The collector
 * does not depend on the dashboard package, so the dashboard's tests can depend on the collector.
 */
export function findDashboardDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FLIGHTREC_DASHBOARD_DIR) return env.FLIGHTREC_DASHBOARD_DIR;
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
  const candidates = [join(packageRoot, "..", "dashboard", "dist"), join(packageRoot, "dashboard")];
  return candidates.find((dir) => existsSync(join(dir, "index.html")));
}
