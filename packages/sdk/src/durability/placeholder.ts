import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { ATTR_SPAN_PENDING } from "../conventions.js";

/**
 * A copy of a still-open span that can be exported now: same trace and span ID, the name,
 * attributes and events recorded so far, `flightrec.span.pending = true`. The collector
 * shows it as running and the final span (same IDs) replaces it.
 */
export function placeholderOf(span: ReadableSpan, extra: Attributes = {}): ReadableSpan {
  return {
    ...copyOf(span, { ...extra, [ATTR_SPAN_PENDING]: true }),
    // OTLP needs an end time; the pending flag tells the collector to ignore it.
    endTime: span.startTime,
    duration: [0, 0],
    ended: false,
  };
}

/**
 * A copy of a span with attributes added, for what only Flightrec should see (the span itself
 * may belong to a framework and go to other exporters too). The same IDs, times and state.
 */
export function copyOf(span: ReadableSpan, extra: Attributes): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: { ...span.attributes, ...extra },
    links: [...span.links],
    events: [...span.events],
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
