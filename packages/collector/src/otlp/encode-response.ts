import protobuf from "protobufjs/minimal.js";
import type { OtlpEncoding } from "./decode.js";
import { encodeProtoLogsResponse } from "./proto-logs.js";
import { TraceServiceProto } from "./proto-root.js";

export interface PartialSuccess {
  /** Spans or log records not stored. */
  rejected: number;
  errorMessage: string;
}

export interface EncodedResponse {
  body: string | Uint8Array;
  contentType: string;
}

/** The field of partialSuccess that counts what was rejected, per signal. */
const REJECTED_FIELD = { traces: "rejectedSpans", logs: "rejectedLogRecords" } as const;

/**
 * Export{Trace,Logs}ServiceResponse in the request's encoding; partialSuccess only when spans or
 * records were rejected.
 */
export function encodeExportResponse(
  signal: "traces" | "logs",
  encoding: OtlpEncoding,
  partial: PartialSuccess | null,
): EncodedResponse {
  if (encoding === "json") {
    const body = partial
      ? {
          partialSuccess: {
            [REJECTED_FIELD[signal]]: String(partial.rejected),
            errorMessage: partial.errorMessage,
          },
        }
      : {};
    return { body: JSON.stringify(body), contentType: "application/json" };
  }
  if (signal === "logs")
    return { body: encodeProtoLogsResponse(partial), contentType: "application/x-protobuf" };
  const message = partial
    ? { partialSuccess: { rejectedSpans: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return {
    body: TraceServiceProto.ExportTraceServiceResponse.encode(message).finish(),
    contentType: "application/x-protobuf",
  };
}

/** Errors as google.rpc.Status (code 1, message 2), which OTLP/HTTP specifies for protobuf clients. */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}
