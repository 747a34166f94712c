import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

/** Serves the built dashboard; unknown non-API paths get index.html so client routes deep-link. */
export function dashboardRoute({ dashboardDir }: { dashboardDir: string | undefined }): Hono {
  const app = new Hono();
  const indexFile = dashboardDir ? join(dashboardDir, "index.html") : undefined;
  if (!dashboardDir || !indexFile || !existsSync(indexFile)) {
    app.get("/", (c) =>
      c.text("Flightrec collector is running. The dashboard is not built: run `pnpm build`.", 200),
    );
    return app;
  }
  app.use("/*", serveStatic({ root: dashboardDir }));
  app.get("/*", async (c) => c.html(await readFile(indexFile, "utf8")));
  return app;
}
