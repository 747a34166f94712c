import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";
import { MAX_VALUE_NESTING, NESTING_CUT } from "./attributes.js";
import { decodeProtobufTraceRequest } from "./decode-protobuf.js";
import type { OtlpAnyValue } from "./types.js";

const writer = () => protobuf.Writer.create();

/** An ExportTraceServiceRequest whose one span has one attribute: arrays nested `depth` deep. */
function deeplyNestedAttribute(depth: number): Uint8Array {
  let value = writer().uint32(10).string("bottom").finish(); // AnyValue.string_value
  for (let i = 0; i < depth; i++) {
    const array = writer().uint32(10).bytes(value).finish(); // ArrayValue.values
    value = writer().uint32(42).bytes(array).finish(); // AnyValue.array_value
  }
  const attribute = writer().uint32(10).string("deep").uint32(18).bytes(value).finish();
  const span = writer()
    .uint32(10)
    .bytes(new Uint8Array(16).fill(1)) // trace_id
    .uint32(18)
    .bytes(new Uint8Array(8).fill(2)) // span_id
    .uint32(42)
    .string("s") // name
    .uint32(57)
    .fixed64(1_763_900_000_000) // start_time_unix_nano
    .uint32(74)
    .bytes(attribute)
    .finish();
  const scopeSpans = writer().uint32(18).bytes(span).finish();
  const resourceSpans = writer().uint32(18).bytes(scopeSpans).finish();
  return writer().uint32(10).bytes(resourceSpans).finish();
}

describe("decodeProtobufTraceRequest", () => {
  it("cuts attribute values nested deeper than MAX_VALUE_NESTING instead of running out of stack", () => {
    // Deep enough for the conversion to overflow the stack, shallow enough for protobufjs to decode.
    const request = decodeProtobufTraceRequest(deeplyNestedAttribute(2_500));
    let node: OtlpAnyValue | undefined =
      request.resourceSpans?.[0]?.scopeSpans?.[0]?.spans?.[0]?.attributes?.[0]?.value;
    let depth = 0;
    while (node?.arrayValue) {
      node = node.arrayValue.values?.[0];
      depth++;
    }
    expect([depth, node]).toEqual([MAX_VALUE_NESTING, { stringValue: NESTING_CUT }]);
  });
});
