import { Hono } from "hono";
import { z } from "zod";
import { HttpError } from "../errors.js";
import type { DecisionStore } from "../store/store.js";

const runListParams = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The JSON query API the dashboard reads. */
export function apiRoutes({ store }: { store: DecisionStore }): Hono {
  const app = new Hono();
  app.get("/api/runs", async (c) => {
    const params = runListParams.safeParse(c.req.query());
    if (!params.success) {
      const issue = params.error.issues[0];
      throw new HttpError(400, `invalid query parameter "${issue?.path.join(".")}": ${issue?.message}`);
    }
    return c.json({ runs: await store.listRuns(params.data) });
  });
  app.get("/api/runs/:runId", async (c) => {
    const detail = await store.getRun(c.req.param("runId"));
    if (!detail) throw new HttpError(404, `no run with ID "${c.req.param("runId")}"`);
    return c.json(detail);
  });
  return app;
}
