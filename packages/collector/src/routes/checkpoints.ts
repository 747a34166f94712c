import { Hono } from "hono";
import { HttpError } from "../errors.js";
import type { DurabilityStore } from "../store/durability.js";

/** What the SDK asks before resuming a run or checking a deadline. */
export function checkpointRoutes({ durability }: { durability: DurabilityStore }): Hono {
  const app = new Hono();
  app.get("/api/runs/:runId/checkpoints", async (c) => {
    const runId = c.req.param("runId");
    const checkpoints = await durability.checkpoints(runId);
    if (!checkpoints) throw new HttpError(404, `no run with ID "${runId}"`);
    return c.json(checkpoints);
  });
  app.get("/api/step-durations", async (c) => {
    const run = c.req.query("run");
    if (!run) throw new HttpError(400, 'missing query parameter "run" (the run name)');
    return c.json({ run, steps: await durability.stepDurationsOf(run) });
  });
  return app;
}
