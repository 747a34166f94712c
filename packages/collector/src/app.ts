import { Hono } from "hono";
import { HttpError } from "./errors.js";
import { apiRoutes } from "./routes/api.js";
import { checkpointRoutes } from "./routes/checkpoints.js";
import { dashboardRoute } from "./routes/dashboard.js";
import { healthRoute } from "./routes/health.js";
import { tracesRoute } from "./routes/traces.js";
import type { DurabilityQueries } from "./store/sqlite/durability-queries.js";
import type { DecisionStore } from "./store/store.js";

export interface AppOptions {
  store: DecisionStore;
  /** Directory of the built dashboard; omitted → a plain notice at `/`. */
  dashboardDir?: string;
  /** Checkpoints and step durations for resume and deadlines; omitted → those routes are absent. */
  durability?: DurabilityQueries;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.route("/", healthRoute(options));
  app.route("/", tracesRoute(options));
  if (options.durability) app.route("/", checkpointRoutes({ durability: options.durability }));
  app.route("/", apiRoutes(options));
  app.all("/api/*", (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  app.route("/", dashboardRoute({ dashboardDir: options.dashboardDir }));

  // One place turns errors into responses; anything unexpected is logged and becomes a 500.
  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json({ error: error.message }, error.status, error.headers);
    }
    console.error(
      JSON.stringify({ level: "error", msg: "unhandled error", error: String(error?.stack ?? error) }),
    );
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}
