import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the built dashboard lives (the `dist` of @flightrec/dashboard), if installed. */
export function findDashboardDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("@flightrec/dashboard/package.json")), "dist");
  } catch {
    return undefined;
  }
}
