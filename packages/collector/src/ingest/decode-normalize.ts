import type { NormalizedBatch, NormalizedLogBatch } from "../domain.js";
import { normalizeLogsRequest } from "../normalize/normalize-logs.js";
import { normalizeRequest } from "../normalize/normalize-request.js";
import { decodeLogsRequest, decodeTraceRequest, type OtlpEncoding } from "../otlp/decode.js";

/** The OTLP signals the collector takes, and what a body of each becomes. */
export interface Decoded {
  traces: NormalizedBatch;
  logs: NormalizedLogBatch;
}
export type OtlpSignal = keyof Decoded;

/** decode → normalize for one request body; pure, runs on the server thread or a worker. */
export function decodeAndNormalize<S extends OtlpSignal>(
  body: Uint8Array,
  encoding: OtlpEncoding,
  signal: S,
): Decoded[S] {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const decoded =
    signal === "logs"
      ? normalizeLogsRequest(decodeLogsRequest(buffer, encoding))
      : normalizeRequest(decodeTraceRequest(buffer, encoding));
  return decoded as Decoded[S];
}
