import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A span as the OTLP/JSON exporters write it: the fields the proxy reads. */
interface JsonSpan {
  traceId: string;
  spanId: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}

interface JsonRequest {
  resourceSpans: { scopeSpans: { spans: JsonSpan[] }[] }[];
}

export interface SplittingProxy {
  url: string;
  /** Trace and span IDs of every span in a request the proxy acknowledged (both collectors had). */
  acknowledged: { traceId: string; spanId: string }[];
  close(): Promise<void>;
}

/** The same request, keeping only the spans `keep` accepts; null when none is left. */
function filtered(request: JsonRequest, keep: (span: JsonSpan) => boolean): JsonRequest | null {
  let count = 0;
  const resourceSpans = request.resourceSpans.map((resource) => ({
    ...resource,
    scopeSpans: resource.scopeSpans.map((scope) => {
      const spans = scope.spans.filter(keep);
      count += spans.length;
      return { ...scope, spans };
    }),
  }));
  return count === 0 ? null : { resourceSpans };
}

/**
 * Sends the LLM spans of each OTLP/JSON trace request to one collector and all other spans to
 * another, and answers the exporter with 200 only once both committed their part (else with the
 * first refusal, so the exporter retries). Anything else goes to the first collector.
 */
export async function startSplittingProxy(stepsTo: string, llmTo: string): Promise<SplittingProxy> {
  const acknowledged: SplittingProxy["acknowledged"] = [];
  const isLlm = (span: JsonSpan) =>
    span.attributes?.some((a) => a.key === "flightrec.span.kind" && a.value.stringValue === "llm") ?? false;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method !== "POST" || req.url !== "/v1/traces") {
      const answer = await fetch(new URL(req.url!, stepsTo), {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/json" },
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
      res.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    const request = JSON.parse(body.toString()) as JsonRequest;
    const parts = [
      [stepsTo, filtered(request, (span) => !isLlm(span))],
      [llmTo, filtered(request, isLlm)],
    ] as const;
    const statuses = await Promise.all(
      parts.map(async ([target, part]) => {
        if (!part) return 200;
        try {
          const answer = await fetch(new URL("/v1/traces", target), {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(part),
          });
          await answer.arrayBuffer();
          return answer.status;
        } catch {
          return 503;
        }
      }),
    );
    const refused = statuses.find((status) => status !== 200);
    if (refused === undefined) {
      for (const resource of request.resourceSpans)
        for (const scope of resource.scopeSpans)
          for (const span of scope.spans) acknowledged.push({ traceId: span.traceId, spanId: span.spanId });
    }
    res.writeHead(refused ?? 200, { "content-type": "application/json" });
    res.end(refused === undefined ? "{}" : JSON.stringify({ error: `a collector answered ${refused}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    acknowledged,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
