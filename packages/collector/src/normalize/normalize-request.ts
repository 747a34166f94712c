import type { NormalizedBatch } from "../domain.js";
import { attributesToObject } from "../otlp/attributes.js";
import type { OtlpExportTraceRequest } from "../otlp/types.js";
import { joinsTurn, stepOpeningCall } from "./mappings.js";
import { normalizeSpan } from "./normalize-span.js";
import { withOpenedStep } from "./opened-step.js";

/**
 * Turns a decoded export request into domain records (a model call that opens a step brings
 * that step along); spans that cannot be mapped are rejected, not fatal.
 */
export function normalizeRequest(request: OtlpExportTraceRequest): NormalizedBatch {
  const batch: NormalizedBatch = { spans: [], rejected: [] };
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesToObject(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        try {
          const attrs = attributesToObject(span.attributes);
          const record = normalizeSpan({ span, attrs, resource });
          if (record.kind === "tool" && joinsTurn(attrs)) record.joinsTurn = true;
          const origin = { scope: scopeSpans.scope?.name ?? "", hasParent: record.parentSpanId !== null };
          const opening = record.kind === "llm" ? stepOpeningCall(attrs, origin) : null;
          batch.spans.push(...(opening ? withOpenedStep(record, opening.decided(attrs)) : [record]));
        } catch (error) {
          batch.rejected.push({ spanId: span.spanId, reason: (error as Error).message });
        }
      }
    }
  }
  return batch;
}
