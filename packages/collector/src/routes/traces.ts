import { Hono } from "hono";
import { HttpError } from "../errors.js";
import { normalizeRequest } from "../normalize/normalize-request.js";
import { decodeJsonTraceRequest } from "../otlp/decode-json.js";
import type { DecisionStore } from "../store/store.js";

export interface TracesRouteOptions {
  store: DecisionStore;
}

/** OTLP/HTTP trace ingest: decode → normalize → store; acknowledged only after commit. */
export function tracesRoute({ store }: TracesRouteOptions): Hono {
  const app = new Hono();
  app.post("/v1/traces", async (c) => {
    const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType !== "application/json") {
      throw new HttpError(415, `unsupported content type "${contentType}"; send application/json`);
    }
    const request = decodeJsonTraceRequest(await c.req.text());
    const batch = normalizeRequest(request);
    await store.ingest(batch.spans);
    if (batch.rejected.length === 0) return c.json({});
    return c.json({
      partialSuccess: {
        rejectedSpans: String(batch.rejected.length),
        errorMessage: batch.rejected.map((r) => `span ${r.spanId}: ${r.reason}`).join("; "),
      },
    });
  });
  return app;
}
