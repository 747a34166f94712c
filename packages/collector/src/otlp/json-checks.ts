import { MalformedRequestError } from "../errors.js";
import type { OtlpKeyValue } from "./types.js";

/*
 * OTLP/JSON rules shared by every signal: IDs are hex, enums integers, int64 a decimal string or
 * a number, unknown fields ignored. The structure is checked by hand, not with a schema library:
 * on the ingest path a generic validator cost four times the JSON parse itself.
 */

export const HEX_TRACE_ID = /^[0-9a-fA-F]{32}$/;
export const HEX_SPAN_ID = /^[0-9a-fA-F]{16}$/;
const UNSIGNED = /^\d+$/;

/** A part of the body that is not what OTLP says; `at` is its path. */
class ShapeError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses `body` and checks it with `check`; throws MalformedRequestError naming the problem and,
 * for a shape error, the path and the kind of request expected (`what`, e.g. "trace export request").
 */
export function decodeJsonBody<T>(body: string, what: string, check: (parsed: unknown) => void): T {
  let parsed: unknown;
  try {
    // RFC 8259 lets a parser ignore a byte order mark; some clients still send one.
    parsed = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch (error) {
    throw new MalformedRequestError(`invalid JSON: ${(error as Error).message}`);
  }
  try {
    check(parsed);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new MalformedRequestError(`not an OTLP ${what}: ${error.at}: ${error.message}`);
  }
  return parsed as T;
}

/**
 * Proto3 JSON accepts int64 as a string or a number. Nanosecond times are far above 2^53, so a
 * number has already been rounded by JSON.parse (by under a microsecond); it is taken as it is
 * rather than refusing the request.
 */
export function checkInt64(value: unknown, at: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value === "string" ? UNSIGNED.test(value) : Number.isInteger(value) && (value as number) >= 0)
    return;
  fail(at, value === undefined ? "required" : "expected an unsigned integer (decimal string or number)");
}

/** Keys must be strings; values are read leniently by the attribute mapper. */
export function checkAttributes(list: unknown, at: string): asserts list is OtlpKeyValue[] | undefined {
  const items = optionalArray(list, at);
  if (!items) return;
  for (let i = 0; i < items.length; i++) {
    const kv = items[i];
    if (!isObject(kv) || typeof kv.key !== "string") fail(`${at}.${i}.key`, "expected a string");
    if (kv.value !== undefined && kv.value !== null && !isObject(kv.value))
      fail(`${at}.${i}.value`, "expected an AnyValue object");
  }
}

/** A resource, when present, must be an object with well-formed attributes. */
export function checkResource(resource: unknown, at: string): void {
  if (resource === undefined) return;
  if (!isObject(resource)) fail(at, "expected an object");
  checkAttributes(resource.attributes, `${at}.attributes`);
}

export function optionalArray(value: unknown, at: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(at, "expected an array");
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function fail(at: string, message: string): never {
  throw new ShapeError(at, message);
}
