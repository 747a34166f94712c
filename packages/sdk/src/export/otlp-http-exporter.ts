import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { TRACER_VERSION } from "../tracer.js";
import { HttpPoster, type PostOutcome } from "./http-post.js";

export interface OtlpHttpExporterOptions {
  /** The collector's traces URL (…/v1/traces). */
  url: string;
  /** Extra headers, e.g. authorization. */
  headers?: Record<string, string>;
  /** Longest one export may take, waiting for an overloaded collector included, in ms. */
  timeoutMs: number;
  /** Connections kept to the collector: as many as requests in flight. */
  maxSockets: number;
}

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2_000;

/**
 * OTLP/HTTP JSON trace exporter. Unlike the OpenTelemetry one, it takes a refused, reset or
 * timed-out connection as the answer it is: the export fails at once, with no retry timers
 * left behind, so a step waiting for its checkpoint goes on and a process with nothing else
 * to do exits. Only an overloaded collector (429, 502–504) is asked again, after its
 * `Retry-After` or a backoff, within `timeoutMs`, on timers that do not hold the process.
 * It has no queue and no concurrency limit of its own: the send queue in front bounds both.
 */
export class OtlpHttpExporter implements SpanExporter {
  private readonly poster: HttpPoster;
  private closed = false;

  constructor(private readonly options: OtlpHttpExporterOptions) {
    this.poster = new HttpPoster(
      options.url,
      {
        "content-type": "application/json",
        "user-agent": `flightrec-sdk/${TRACER_VERSION}`,
        ...options.headers,
      },
      options.maxSockets,
    );
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    let body: Uint8Array | undefined;
    try {
      body = JsonTraceSerializer.serializeRequest(spans);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    if (!body) {
      done({ code: ExportResultCode.FAILED, error: new Error("the spans could not be encoded") });
      return;
    }
    void this.send(body).then(done);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.poster.close();
  }

  async forceFlush(): Promise<void> {}

  private async send(body: Uint8Array): Promise<ExportResult> {
    const deadline = Date.now() + this.options.timeoutMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const outcome: PostOutcome = await this.poster.post(body, Math.max(1, deadline - Date.now()));
      if (outcome.kind === "ok") return { code: ExportResultCode.SUCCESS };
      if (outcome.kind === "failed") return { code: ExportResultCode.FAILED, error: outcome.error };
      const waitMs = outcome.retryAfterMs ?? backoff;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      if (this.closed || Date.now() + waitMs >= deadline) {
        return { code: ExportResultCode.FAILED, error: outcome.error };
      }
      await sleepUnref(waitMs);
    }
  }
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
