import {
  checkAttributes,
  checkInt64,
  checkResource,
  decodeJsonBody,
  fail,
  HEX_SPAN_ID,
  HEX_TRACE_ID,
  isObject,
  optionalArray,
} from "./json-checks.js";
import type { OtlpExportTraceRequest, OtlpSpan } from "./types.js";

/** Parses an OTLP/JSON ExportTraceServiceRequest; throws MalformedRequestError naming the problem. */
export function decodeJsonTraceRequest(body: string): OtlpExportTraceRequest {
  return decodeJsonBody(body, "trace export request", (parsed) => {
    if (!isObject(parsed)) fail("body", "expected an object");
    optionalArray(parsed.resourceSpans, "resourceSpans")?.forEach((rs, r) => {
      const at = `resourceSpans.${r}`;
      if (!isObject(rs)) fail(at, "expected an object");
      checkResource(rs.resource, `${at}.resource`);
      optionalArray(rs.scopeSpans, `${at}.scopeSpans`)?.forEach((ss, s) => {
        const sat = `${at}.scopeSpans.${s}`;
        if (!isObject(ss)) fail(sat, "expected an object");
        optionalArray(ss.spans, `${sat}.spans`)?.forEach((span, i) => {
          checkSpan(span, `${sat}.spans.${i}`);
        });
      });
    });
  });
}

function checkSpan(span: unknown, at: string): asserts span is OtlpSpan {
  if (!isObject(span)) fail(at, "expected an object");
  if (typeof span.traceId !== "string" || !HEX_TRACE_ID.test(span.traceId))
    fail(`${at}.traceId`, "expected 32 hex characters");
  if (typeof span.spanId !== "string" || !HEX_SPAN_ID.test(span.spanId))
    fail(`${at}.spanId`, "expected 16 hex characters");
  const parent = span.parentSpanId;
  if (parent !== undefined && parent !== "" && (typeof parent !== "string" || !HEX_SPAN_ID.test(parent))) {
    fail(`${at}.parentSpanId`, "expected 16 hex characters or nothing");
  }
  if (typeof span.name !== "string") fail(`${at}.name`, "expected a string");
  if (span.kind !== undefined && !Number.isInteger(span.kind)) fail(`${at}.kind`, "expected an integer");
  checkInt64(span.startTimeUnixNano, `${at}.startTimeUnixNano`, true);
  checkInt64(span.endTimeUnixNano, `${at}.endTimeUnixNano`, false);
  checkAttributes(span.attributes, `${at}.attributes`);
  optionalArray(span.events, `${at}.events`)?.forEach((event, e) => {
    if (!isObject(event)) fail(`${at}.events.${e}`, "expected an object");
    checkInt64(event.timeUnixNano, `${at}.events.${e}.timeUnixNano`, false);
    if (event.name !== undefined && typeof event.name !== "string")
      fail(`${at}.events.${e}.name`, "expected a string");
    checkAttributes(event.attributes, `${at}.events.${e}.attributes`);
  });
  if (span.status !== undefined) {
    if (!isObject(span.status)) fail(`${at}.status`, "expected an object");
    if (span.status.code !== undefined && !Number.isInteger(span.status.code))
      fail(`${at}.status.code`, "expected an integer");
    if (span.status.message !== undefined && typeof span.status.message !== "string") {
      fail(`${at}.status.message`, "expected a string");
    }
  }
}
