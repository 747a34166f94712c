import { Hono } from "hono";
import type { NormalizedBatch, RejectedSpan, SpanRecord } from "../domain.js";
import type { DecodePool } from "../ingest/decode-pool.js";
import { InflightBudget } from "../ingest/inflight-budget.js";
import { discardBody, readBody } from "../ingest/read-body.js";
import { QueueFullError, type WriteQueue } from "../ingest/write-queue.js";
import type { Metrics } from "../metrics.js";
import { encodingOf } from "../otlp/decode.js";
import { encodeExportResponse } from "../otlp/encode-response.js";
import type { IngestSummary } from "../store/store.js";

/** What @hono/node-server passes as the environment: the Node request, for cheap draining. */
interface NodeBindings {
  incoming?: import("node:http").IncomingMessage;
}

export interface TracesRouteOptions {
  queue: WriteQueue;
  decoder: DecodePool;
  metrics: Metrics;
  /** Largest body accepted, after decompression. */
  maxBodyBytes: number;
  /** Bodies being read and decoded at once, in bytes; beyond it new requests get 429. */
  maxInflightBytes: number;
}

/** The spans of this request the store could not take; a group commit's summary names those of all its requests. */
function unstoredOf(spans: readonly SpanRecord[], summary: IngestSummary): RejectedSpan[] {
  if (summary.unstored.length === 0) return [];
  const mine = new Set(spans.map((s) => `${s.traceId}/${s.spanId}`));
  return summary.unstored
    .filter((u) => mine.has(`${u.traceId}/${u.spanId}`))
    .map((u) => ({ spanId: u.spanId, reason: u.reason }));
}

/**
 * OTLP/HTTP trace ingest: read (limit, gzip) → decode (JSON or protobuf) → normalize → write
 * queue. The answer comes only after the batch is committed, in the request's encoding.
 */
export function tracesRoute({
  queue,
  decoder,
  metrics,
  maxBodyBytes,
  maxInflightBytes,
}: TracesRouteOptions): Hono {
  const app = new Hono();
  const budget = new InflightBudget(maxInflightBytes);
  metrics.gauge(
    "flightrec_ingest_bodies_in_flight",
    "OTLP bodies being read or decoded.",
    () => budget.bodies,
  );
  metrics.gauge(
    "flightrec_ingest_inflight_bytes",
    "Bytes of OTLP bodies held while being read or decoded.",
    () => budget.bytes,
  );
  app.post("/v1/traces", async (c) => {
    const encoding = encodingOf(c.req.header("content-type"));
    const declared = Number(c.req.header("content-length") ?? 0) || 0;
    if (queue.isFull() || (budget.bytes > 0 && budget.bytes + declared > maxInflightBytes)) {
      metrics.requestsRefused++;
      await discardBody(c.req.raw, {
        maxBytes: maxBodyBytes,
        incoming: (c.env as NodeBindings | undefined)?.incoming,
      });
      throw new QueueFullError("collector is busy; retry later");
    }
    const claim = budget.claim();
    let batch: NormalizedBatch;
    try {
      claim.grow(declared);
      const reserve = (bytesRead: number) => {
        try {
          claim.grow(bytesRead);
        } catch (error) {
          metrics.requestsRefused++;
          throw error;
        }
      };
      const body = await readBody(c.req.raw, { maxBytes: maxBodyBytes, onProgress: reserve });
      batch = await decoder.decode(body, encoding);
    } finally {
      claim.release();
    }
    metrics.spansReceived += batch.spans.length + batch.rejected.length;
    metrics.spansRejected += batch.rejected.length;
    const rejected = [...batch.rejected];
    if (batch.spans.length > 0) {
      let summary: IngestSummary;
      try {
        summary = await queue.submit(batch.spans);
      } catch (error) {
        if (error instanceof QueueFullError) metrics.requestsRefused++;
        throw error;
      }
      const unstored = unstoredOf(batch.spans, summary);
      metrics.spansRejected += unstored.length;
      metrics.spansStored += batch.spans.length - unstored.length;
      rejected.push(...unstored);
    }
    const partial =
      rejected.length === 0
        ? null
        : {
            rejectedSpans: rejected.length,
            errorMessage: rejected.map((r) => `span ${r.spanId}: ${r.reason}`).join("; "),
          };
    const response = encodeExportResponse(encoding, partial);
    return c.body(response.body as string, 200, { "content-type": response.contentType });
  });
  return app;
}
