import { gzipSync } from "node:zlib";
import fc from "fast-check";
import type { OtlpAnyValue, OtlpExportTraceRequest } from "../../src/otlp/types.js";
import { otlpProtobuf } from "../otlp-builder.js";
import {
  type ByteEdit,
  byteEdits,
  editBytes,
  type FieldMutation,
  fieldMutation,
  mutateField,
  NEST,
  spliceNested,
} from "./mutations.js";
import { validRequest } from "./otlp-requests.js";

/*
 * One fuzzing case: a valid request, what is done to it (fields, bytes, size, nesting, random
 * bytes instead), how it is compressed and which headers carry it; and the body it makes.
 */

export type Encoding = "json" | "protobuf";
export const CONTENT_TYPE: Record<Encoding, string> = {
  json: "application/json",
  protobuf: "application/x-protobuf",
};

export interface Case {
  request: OtlpExportTraceRequest;
  fields: readonly FieldMutation[];
  bytes: readonly ByteEdit[];
  /** Byte edits land on the compressed body rather than on the encoded request. */
  editCompressed: boolean;
  gzip: boolean;
  /** A string attribute of this many bytes added to the first span (or a span made for it). */
  pad: number;
  /** A resource attribute nested this many arrays deep (0: none); valid OTLP all the same. */
  deep: number;
  /** Random bytes sent instead of the encoded request. */
  raw: Uint8Array | null;
  contentType: string | null;
  contentEncoding: string | null;
}

export function caseOf(encoding: Encoding, maxBody: number): fc.Arbitrary<Case> {
  const right = CONTENT_TYPE[encoding];
  return fc.record({
    request: validRequest,
    // Field mutations make no valid protobuf (the encoder rejects wrong types); bytes do both.
    fields:
      encoding === "json"
        ? fc.oneof(fc.constant([]), fc.array(fieldMutation, { minLength: 1, maxLength: 3 }))
        : fc.constant([]),
    bytes: fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: byteEdits }),
    editCompressed: fc.boolean(),
    gzip: fc.boolean(),
    pad: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * maxBody }) },
    ),
    deep: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: encoding === "json" ? 20_000 : 3_000 }) },
    ),
    raw: fc.oneof(
      { weight: 12, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }) },
    ),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constant(right) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          null,
          "",
          "application/json; charset=utf-8",
          "APPLICATION/X-PROTOBUF",
          "application/protobuf",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/json, application/x-protobuf",
        ),
      },
    ),
    contentEncoding: fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("gzip", "identity", "GZIP", "br", "deflate", "gzip, gzip", ""),
      },
    ),
  });
}

export interface Sent {
  /** The request as encoded, before byte edits. */
  request: OtlpExportTraceRequest;
  body: Buffer;
  headers: Record<string, string>;
  /** Size of the encoded request before any compression. */
  encodedBytes: number;
}

export function bodyOf(c: Case, encoding: Encoding): Sent {
  const request = structuredClone(c.request);
  if (c.pad > 0) padRequest(request, c.pad);
  if (c.deep > 0 && encoding === "json") {
    const deep = { key: "deep", value: `${NEST}${c.deep}` as unknown as OtlpAnyValue };
    request.resourceSpans = [...(request.resourceSpans ?? []), { resource: { attributes: [deep] } }];
  }
  for (const m of c.fields) mutateField(request, m);
  let body: Buffer =
    c.raw !== null
      ? Buffer.from(c.raw)
      : encoding === "json"
        ? Buffer.from(spliceNested(JSON.stringify(request)))
        : Buffer.concat([otlpProtobuf(request), c.deep > 0 ? deepProtobufResource(c.deep) : Buffer.alloc(0)]);
  const encodedBytes = body.length;
  if (!c.editCompressed) body = editBytes(body, c.bytes);
  if (c.gzip) body = gzipSync(body);
  if (c.editCompressed) body = editBytes(body, c.bytes);
  const encodingHeader = c.contentEncoding ?? (c.gzip ? "gzip" : null);
  const headers: Record<string, string> = {};
  if (c.contentType !== null) headers["content-type"] = c.contentType;
  if (encodingHeader !== null) headers["content-encoding"] = encodingHeader;
  return { request, body, headers, encodedBytes };
}

/**
 * One more ResourceSpans whose resource has an attribute `depth` arrays deep, as protobuf bytes
 * (appended to an encoded request, protobuf merges it in). Built by hand: encoders recurse.
 */
function deepProtobufResource(depth: number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
    out.push(n);
    return Buffer.from(out);
  };
  const field = (no: number, payload: Buffer) =>
    Buffer.concat([varint((no << 3) | 2), varint(payload.length), payload]);
  let value = field(1, Buffer.from("deep")); // AnyValue.string_value
  for (let i = 0; i < depth; i++) value = field(5, field(1, value)); // AnyValue.array_value.values
  const keyValue = Buffer.concat([field(1, Buffer.from("deep")), field(2, value)]);
  return field(1, field(1, field(1, keyValue))); // resource_spans.resource.attributes
}

function padRequest(request: OtlpExportTraceRequest, bytes: number): void {
  const pad = { key: "pad", value: { stringValue: "p".repeat(bytes) } };
  const first = request.resourceSpans?.[0]?.scopeSpans?.[0]?.spans?.[0];
  if (first) {
    first.attributes = [...(first.attributes ?? []), pad];
    return;
  }
  const span = { traceId: "ad".repeat(16), spanId: "ad".repeat(8), name: "pad", startTimeUnixNano: "1" };
  request.resourceSpans = [
    ...(request.resourceSpans ?? []),
    { scopeSpans: [{ spans: [{ ...span, attributes: [pad] }] }] },
  ];
}

/** A request any OTLP exporter could send, sent as one would: it must be taken. */
export function isClean(c: Case, encoding: Encoding, sent: Sent, maxBody: number): boolean {
  const encodingHeader = sent.headers["content-encoding"];
  return (
    c.raw === null &&
    c.fields.length === 0 &&
    c.bytes.length === 0 &&
    c.contentType === CONTENT_TYPE[encoding] &&
    (c.gzip ? encodingHeader === "gzip" : encodingHeader === undefined || encodingHeader === "identity") &&
    sent.encodedBytes <= maxBody &&
    sent.body.length <= maxBody
  );
}
