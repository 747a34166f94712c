import { Hono } from "hono";
import {
  failureListParams,
  logListParams,
  parseParams,
  runDetailParams,
  runListParams,
  statsParams,
} from "../api/params.js";
import { HttpError } from "../errors.js";
import { failureFingerprint } from "../store/failure-fingerprint.js";
import type { DecisionStore } from "../store/store.js";

const HOUR_MS = 3_600_000;

/** The JSON query API the dashboard reads (docs/decisions/0002-query-api.md). */
export function apiRoutes({ store }: { store: DecisionStore }): Hono {
  const app = new Hono();
  app.get("/api/runs", async (c) => {
    const params = parseParams(runListParams, c.req.query());
    const range = { from: params.from && toUtc(params.from), to: params.to && toUtc(params.to) };
    return c.json(await store.listRuns({ ...params, ...range }));
  });
  app.get("/api/runs/:runId", async (c) => {
    const runId = c.req.param("runId");
    const { spans } = parseParams(runDetailParams, c.req.query());
    const detail = spans === "outline" ? await store.getRunOutline(runId) : await store.getRun(runId);
    if (!detail) throw new HttpError(404, `no run with ID "${runId}"`);
    return c.json(detail);
  });
  app.get("/api/runs/:runId/spans/:spanId", async (c) => {
    const { runId, spanId } = c.req.param();
    const span = await store.getSpan(runId, spanId);
    if (!span) throw new HttpError(404, `run "${runId}" has no span with ID "${spanId}"`);
    return c.json({ span });
  });
  app.get("/api/failures", async (c) => {
    const params = parseParams(failureListParams, c.req.query());
    const page = await store.listFailures(params);
    // Each failure names its group in byFingerprint, so a client can show one problem's failures.
    const failures = page.failures.map((f) => ({ ...f, fingerprint: failureFingerprint(f) }));
    return c.json({ ...page, failures });
  });
  app.get("/api/stats", async (c) => {
    const params = parseParams(statsParams, c.req.query());
    const to = params.to ?? new Date().toISOString();
    const span = params.bucket === "hour" ? 24 * HOUR_MS : 30 * 24 * HOUR_MS;
    const from = params.from ?? new Date(Date.parse(to) - span).toISOString();
    return c.json(await store.stats({ from: toUtc(from), to: toUtc(to), bucket: params.bucket }));
  });
  app.get("/api/logs", async (c) => c.json(await store.listLogs(parseParams(logListParams, c.req.query()))));
  app.get("/api/schema", async (c) => c.json({ tables: await store.schema() }));
  return app;
}

/** The last instant whose ISO text has a four-digit year; later ones start "+010000" and sort first. */
const LAST_FOUR_DIGIT_YEAR_MS = Date.parse("9999-12-31T23:59:59.999Z");

/** Stored times are UTC text; compare like with like. */
function toUtc(iso: string): string {
  return new Date(Math.min(Date.parse(iso), LAST_FOUR_DIGIT_YEAR_MS)).toISOString();
}
