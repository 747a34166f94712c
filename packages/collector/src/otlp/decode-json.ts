import { MalformedRequestError } from "../errors.js";
import type { OtlpExportTraceRequest, OtlpKeyValue, OtlpSpan } from "./types.js";

/*
 * OTLP/JSON rules: IDs are hex, enums integers, int64 a decimal string or a number, unknown
 * fields ignored. The structure is checked by hand, not with a schema library: on the ingest
 * path a generic validator cost four times the JSON parse itself. Each check names its path.
 */

const HEX_TRACE_ID = /^[0-9a-fA-F]{32}$/;
const HEX_SPAN_ID = /^[0-9a-fA-F]{16}$/;
const UNSIGNED = /^\d+$/;

/** Parses an OTLP/JSON ExportTraceServiceRequest; throws MalformedRequestError naming the problem. */
export function decodeJsonTraceRequest(body: string): OtlpExportTraceRequest {
  let parsed: unknown;
  try {
    // RFC 8259 lets a parser ignore a byte order mark; some clients still send one.
    parsed = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch (error) {
    throw new MalformedRequestError(`invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) fail("body", "expected an object");
  const resourceSpans = optionalArray(parsed.resourceSpans, "resourceSpans");
  resourceSpans?.forEach((rs, r) => {
    const at = `resourceSpans.${r}`;
    if (!isObject(rs)) fail(at, "expected an object");
    if (rs.resource !== undefined) {
      if (!isObject(rs.resource)) fail(`${at}.resource`, "expected an object");
      checkAttributes(rs.resource.attributes, `${at}.resource.attributes`);
    }
    optionalArray(rs.scopeSpans, `${at}.scopeSpans`)?.forEach((ss, s) => {
      const sat = `${at}.scopeSpans.${s}`;
      if (!isObject(ss)) fail(sat, "expected an object");
      optionalArray(ss.spans, `${sat}.spans`)?.forEach((span, i) => {
        checkSpan(span, `${sat}.spans.${i}`);
      });
    });
  });
  return parsed as OtlpExportTraceRequest;
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

/**
 * Proto3 JSON accepts int64 as a string or a number. Nanosecond times are far above 2^53, so a
 * number has already been rounded by JSON.parse (by under a microsecond); it is taken as it is
 * rather than refusing the request.
 */
function checkInt64(value: unknown, at: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value === "string" ? UNSIGNED.test(value) : Number.isInteger(value) && (value as number) >= 0)
    return;
  fail(at, value === undefined ? "required" : "expected an unsigned integer (decimal string or number)");
}

/** Keys must be strings; values are read leniently by the attribute mapper. */
function checkAttributes(list: unknown, at: string): asserts list is OtlpKeyValue[] | undefined {
  const items = optionalArray(list, at);
  if (!items) return;
  for (let i = 0; i < items.length; i++) {
    const kv = items[i];
    if (!isObject(kv) || typeof kv.key !== "string") fail(`${at}.${i}.key`, "expected a string");
    if (kv.value !== undefined && kv.value !== null && !isObject(kv.value))
      fail(`${at}.${i}.value`, "expected an AnyValue object");
  }
}

function optionalArray(value: unknown, at: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(at, "expected an array");
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(at: string, message: string): never {
  throw new MalformedRequestError(`not an OTLP trace export request: ${at}: ${message}`);
}
