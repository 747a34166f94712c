import { Hono } from "hono";
import type { NormalizedBatch, RejectedSpan, SpanRecord } from "../domain.js";
import type { HttpError } from "../errors.js";
import type { DecodePool } from "../ingest/decode-pool.js";
import { InflightBudget } from "../ingest/inflight-budget.js";
import { type BodySource, readBody, refuseBody } from "../ingest/read-body.js";
import { QueueFullError, type WriteQueue } from "../ingest/write-queue.js";
import type { Metrics } from "../metrics.js";
import { encodingOf, type OtlpEncoding } from "../otlp/decode.js";
import { encodeExportResponse } from "../otlp/encode-response.js";
import type { IngestSummary } from "../store/store.js";

/** What @hono/node-server passes as the environment: the Node request, read directly. */
interface NodeBindings {
  incoming?: import("node:http").IncomingMessage;
}

export interface TracesRouteOptions {
  queue: WriteQueue;
  decoder: DecodePool;
  metrics: Metrics;
  /** Largest body accepted, after decompression. */
  maxBodyBytes: number;
  /** Bytes of bodies held at once, counted as they arrive; beyond it new requests get 429. */
  maxInflightBytes: number;
  /** The whole body must arrive within this many milliseconds of its headers, else 408. */
  bodyTimeoutMs: number;
  /**
   * How long a 429 is held before it is sent. A sender that retries at once instead of after
   * Retry-After would otherwise make the collector read and refuse bodies as fast as it can send
   * them, the CPU going to refusals instead of commits and other clients. Default 250.
   */
  refusalHoldMs?: number;
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
export function tracesRoute(options: TracesRouteOptions): Hono {
  const { queue, metrics, refusalHoldMs = 250 } = options;
  const app = new Hono();
  const receive = bodyReceiver(options);
  app.post("/v1/traces", async (c) => {
    try {
      const { batch, encoding } = await receive({
        request: c.req.raw,
        incoming: (c.env as NodeBindings | undefined)?.incoming,
      });
      const partial = await store(batch, queue, metrics);
      const response = encodeExportResponse(encoding, partial);
      return c.body(response.body as string, 200, { "content-type": response.contentType });
    } catch (error) {
      if (error instanceof QueueFullError && error.status === 429) await sleep(refusalHoldMs);
      throw error;
    }
  });
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Commits the batch's spans; the partial success to answer with, naming every span not stored. */
async function store(
  batch: NormalizedBatch,
  queue: WriteQueue,
  metrics: Metrics,
): Promise<{ rejectedSpans: number; errorMessage: string } | null> {
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
  if (rejected.length === 0) return null;
  return {
    rejectedSpans: rejected.length,
    errorMessage: rejected.map((r) => `span ${r.spanId}: ${r.reason}`).join("; "),
  };
}

/**
 * Reads and decodes request bodies within the in-flight budget. The budget counts bytes as they
 * arrive, never the declared length, so a client that declares much and sends little holds
 * little; and a body must arrive within the body timeout, so a slow one cannot stay forever.
 */
function bodyReceiver({
  queue,
  decoder,
  metrics,
  maxBodyBytes,
  maxInflightBytes,
  bodyTimeoutMs,
}: TracesRouteOptions): (source: BodySource) => Promise<{ batch: NormalizedBatch; encoding: OtlpEncoding }> {
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
  return async (source) => {
    let encoding: OtlpEncoding;
    try {
      encoding = encodingOf(source.request.headers.get("content-type") ?? undefined);
    } catch (error) {
      return refuseBody(source, error as HttpError, { timeoutMs: bodyTimeoutMs });
    }
    if (queue.isFull() || budget.isExhausted()) {
      metrics.requestsRefused++;
      return refuseBody(source, new QueueFullError("collector is busy; retry later"), {
        timeoutMs: bodyTimeoutMs,
      });
    }
    const claim = budget.claim();
    try {
      const body = await readBody(source, {
        maxBytes: maxBodyBytes,
        timeoutMs: bodyTimeoutMs,
        onProgress: (bytesRead) => {
          try {
            claim.grow(bytesRead);
          } catch (error) {
            metrics.requestsRefused++;
            throw error;
          }
        },
        onRefused: claim.release,
      });
      return { batch: await decoder.decode(body, encoding), encoding };
    } finally {
      claim.release();
    }
  };
}
