import { HttpError } from "../errors.js";
import { decodeJsonTraceRequest } from "./decode-json.js";
import { decodeJsonLogsRequest } from "./decode-json-logs.js";
import { decodeProtobufTraceRequest } from "./decode-protobuf.js";
import { decodeProtobufLogsRequest } from "./decode-protobuf-logs.js";
import type { OtlpExportLogsRequest, OtlpExportTraceRequest } from "./types.js";

export type OtlpEncoding = "json" | "protobuf";

/** The OTLP encoding of a content type; 415 for anything else. */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  throw new HttpError(
    415,
    `unsupported content type "${type}"; send application/json or application/x-protobuf`,
  );
}

/** The one entry point of the decode stage: bytes in, OTLP wire types out. */
export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding): OtlpExportTraceRequest {
  return encoding === "json"
    ? decodeJsonTraceRequest(body.toString("utf8"))
    : decodeProtobufTraceRequest(body);
}

/** The same for a logs export request. */
export function decodeLogsRequest(body: Buffer, encoding: OtlpEncoding): OtlpExportLogsRequest {
  return encoding === "json" ? decodeJsonLogsRequest(body.toString("utf8")) : decodeProtobufLogsRequest(body);
}
