import type { HttpError } from "../errors.js";
import type { Metrics } from "../metrics.js";
import { encodingOf, type OtlpEncoding } from "../otlp/decode.js";
import type { Decoded, OtlpSignal } from "./decode-normalize.js";
import type { DecodePool } from "./decode-pool.js";
import { InflightBudget } from "./inflight-budget.js";
import { type BodySource, readBody, refuseBody } from "./read-body.js";
import { QueueFullError, type WriteQueue } from "./write-queue.js";

export interface BodyReceiverOptions {
  queue: WriteQueue;
  decoder: DecodePool;
  metrics: Metrics;
  /** Largest body accepted, after decompression. */
  maxBodyBytes: number;
  /** Bytes of bodies held at once, counted as they arrive; beyond it new requests get 429. */
  maxInflightBytes: number;
  /** The whole body must arrive within this many milliseconds of its headers, else 408. */
  bodyTimeoutMs: number;
}

export type BodyReceiver = <S extends OtlpSignal>(
  source: BodySource,
  signal: S,
) => Promise<{ decoded: Decoded[S]; encoding: OtlpEncoding }>;

/**
 * Reads and decodes OTLP request bodies of every signal within one in-flight budget. The budget
 * counts bytes as they arrive, never the declared length, so a client that declares much and
 * sends little holds little; and a body must arrive within the body timeout, so a slow one
 * cannot stay forever.
 */
export function bodyReceiver({
  queue,
  decoder,
  metrics,
  maxBodyBytes,
  maxInflightBytes,
  bodyTimeoutMs,
}: BodyReceiverOptions): BodyReceiver {
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
  return async (source, signal) => {
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
      return { decoded: await decoder.decode(body, encoding, signal), encoding };
    } finally {
      claim.release();
    }
  };
}
