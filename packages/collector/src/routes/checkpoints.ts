import { Hono } from "hono";
import { HttpError } from "../errors.js";
import type { DurabilityQueries } from "../store/sqlite/durability-queries.js";

/** What the SDK asks before resuming a run or checking a deadline. */
export function checkpointRoutes({ durability }: { durability: DurabilityQueries }): Hono {
  const app = new Hono();
  app.get("/api/runs/:runId/checkpoints", (c) => {
    const runId = c.req.param("runId");
    const checkpoints = durability.checkpoints(runId);
    if (!checkpoints) throw new HttpError(404, `no run with ID "${runId}"`);
    return c.json(checkpoints);
  });
  app.get("/api/step-durations", (c) => {
    const run = c.req.query("run");
    if (!run) throw new HttpError(400, 'missing query parameter "run" (the run name)');
    return c.json({ run, steps: durability.stepDurationsOf(run) });
  });
  return app;
}
