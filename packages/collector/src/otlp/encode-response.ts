import protobuf from "protobufjs/minimal.js";
import type { OtlpEncoding } from "./decode.js";
import { TraceServiceProto } from "./proto-root.js";

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export interface EncodedResponse {
  body: string | Uint8Array;
  contentType: string;
}

/** ExportTraceServiceResponse in the request's encoding; partialSuccess only when spans were rejected. */
export function encodeExportResponse(
  encoding: OtlpEncoding,
  partial: PartialSuccess | null,
): EncodedResponse {
  if (encoding === "json") {
    const body = partial
      ? {
          partialSuccess: {
            rejectedSpans: String(partial.rejectedSpans),
            errorMessage: partial.errorMessage,
          },
        }
      : {};
    return { body: JSON.stringify(body), contentType: "application/json" };
  }
  const message = partial ? { partialSuccess: partial } : {};
  return {
    body: TraceServiceProto.ExportTraceServiceResponse.encode(message).finish(),
    contentType: "application/x-protobuf",
  };
}

/** Errors as google.rpc.Status (code 1, message 2), which OTLP/HTTP specifies for protobuf clients. */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}
