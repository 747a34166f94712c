import type { NormalizedBatch } from "../domain.js";
import { attributesToObject } from "../otlp/attributes.js";
import type { OtlpExportTraceRequest } from "../otlp/types.js";
import { normalizeSpan } from "./normalize-span.js";

/** Turns a decoded export request into domain records; spans that cannot be mapped are rejected, not fatal. */
export function normalizeRequest(request: OtlpExportTraceRequest): NormalizedBatch {
  const batch: NormalizedBatch = { spans: [], rejected: [] };
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesToObject(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        try {
          batch.spans.push(normalizeSpan({ span, attrs: attributesToObject(span.attributes), resource }));
        } catch (error) {
          batch.rejected.push({ spanId: span.spanId, reason: (error as Error).message });
        }
      }
    }
  }
  return batch;
}
