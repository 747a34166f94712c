import { Hono } from "hono";
import type { NormalizedBatch, NormalizedLogBatch, RejectedSpan, SpanRecord } from "../domain.js";
import { type BodyReceiverOptions, bodyReceiver } from "../ingest/body-receiver.js";
import type { OtlpSignal } from "../ingest/decode-normalize.js";
import { QueueFullError, type WriteQueue } from "../ingest/write-queue.js";
import type { Metrics } from "../metrics.js";
import { encodeExportResponse, type PartialSuccess } from "../otlp/encode-response.js";
import type { IngestSummary } from "../store/store.js";

/** What @hono/node-server passes as the environment: the Node request, read directly. */
interface NodeBindings {
  incoming?: import("node:http").IncomingMessage;
}

export interface OtlpRoutesOptions extends BodyReceiverOptions {
  /**
   * How long a 429 is held before it is sent. A sender that retries at once instead of after
   * Retry-After would otherwise make the collector read and refuse bodies as fast as it can send
   * them, the CPU going to refusals instead of commits and other clients. Default 250.
   */
  refusalHoldMs?: number;
}

/**
 * OTLP/HTTP ingest of traces (`/v1/traces`) and logs (`/v1/logs`): read (limit, gzip) → decode
 * (JSON or protobuf) → normalize → write queue, one body receiver and in-flight budget for both.
 * The answer comes only after the batch is committed, in the request's encoding.
 */
export function otlpRoutes(options: OtlpRoutesOptions): Hono {
  const { queue, metrics, refusalHoldMs = 250 } = options;
  const app = new Hono();
  const receive = bodyReceiver(options);
  const storeLogs = logStorer(queue, metrics);
  const commit = {
    traces: (batch: NormalizedBatch) => storeSpans(batch, queue, metrics),
    logs: storeLogs,
  };
  for (const signal of ["traces", "logs"] as const satisfies OtlpSignal[]) {
    app.post(`/v1/${signal}`, async (c) => {
      try {
        const { decoded, encoding } = await receive(
          { request: c.req.raw, incoming: (c.env as NodeBindings | undefined)?.incoming },
          signal,
        );
        const partial = await (commit[signal] as (d: typeof decoded) => Promise<PartialSuccess | null>)(
          decoded,
        );
        const response = encodeExportResponse(signal, encoding, partial);
        return c.body(response.body as string, 200, { "content-type": response.contentType });
      } catch (error) {
        if (error instanceof QueueFullError && error.status === 429) await sleep(refusalHoldMs);
        throw error;
      }
    });
  }
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The spans of this request the store could not take; a group commit's summary names those of all its requests. */
function unstoredOf(spans: readonly SpanRecord[], summary: IngestSummary): RejectedSpan[] {
  if (summary.unstored.length === 0) return [];
  // Steps the collector derived (normalize/opened-step.ts) were never sent: the client hears of its own spans.
  const mine = new Set(spans.filter((s) => !s.opensTurn).map((s) => `${s.traceId}/${s.spanId}`));
  return summary.unstored
    .filter((u) => mine.has(`${u.traceId}/${u.spanId}`))
    .map((u) => ({ spanId: u.spanId, reason: u.reason }));
}

function countDerived(spans: readonly SpanRecord[]): number {
  let n = 0;
  for (const span of spans) if (span.opensTurn) n++;
  return n;
}

/** Submits to the queue, counting a refusal. */
async function submitted<T>(queue: Promise<T>, metrics: Metrics): Promise<T> {
  try {
    return await queue;
  } catch (error) {
    if (error instanceof QueueFullError) metrics.requestsRefused++;
    throw error;
  }
}

/** Commits the batch's spans; the partial success to answer with, naming every span not stored. */
async function storeSpans(
  batch: NormalizedBatch,
  queue: WriteQueue,
  metrics: Metrics,
): Promise<PartialSuccess | null> {
  // Steps the collector derived from a model call (normalize/opened-step.ts) are not counted as sent.
  const sent = batch.spans.length - countDerived(batch.spans);
  metrics.spansReceived += sent + batch.rejected.length;
  metrics.spansRejected += batch.rejected.length;
  const rejected = [...batch.rejected];
  if (batch.spans.length > 0) {
    const summary = await submitted(queue.submit(batch.spans), metrics);
    const unstored = unstoredOf(batch.spans, summary);
    metrics.spansRejected += unstored.length;
    metrics.spansStored += sent - unstored.length;
    rejected.push(...unstored);
  }
  if (rejected.length === 0) return null;
  return {
    rejected: rejected.length,
    errorMessage: rejected.map((r) => `span ${r.spanId}: ${r.reason}`).join("; "),
  };
}

/** Commits a batch's log records (counted on /metrics); the partial success names every record rejected. */
function logStorer(
  queue: WriteQueue,
  metrics: Metrics,
): (batch: NormalizedLogBatch) => Promise<PartialSuccess | null> {
  const counts = { received: 0, stored: 0, rejected: 0 };
  metrics.counter(
    "flightrec_logs_received_total",
    "Log records received in OTLP requests.",
    () => counts.received,
  );
  metrics.counter("flightrec_logs_stored_total", "Log records committed to the store.", () => counts.stored);
  metrics.counter(
    "flightrec_logs_rejected_total",
    "Log records rejected (partial success).",
    () => counts.rejected,
  );
  return async (batch) => {
    counts.received += batch.logs.length + batch.rejected.length;
    counts.rejected += batch.rejected.length;
    if (batch.logs.length > 0) {
      await submitted(queue.submitLogs(batch.logs), metrics);
      counts.stored += batch.logs.length;
    }
    if (batch.rejected.length === 0) return null;
    return {
      rejected: batch.rejected.length,
      errorMessage: batch.rejected.map((r) => `log record ${r.at}: ${r.reason}`).join("; "),
    };
  };
}
