import type { NormalizedBatch } from "../domain.js";
import { normalizeRequest } from "../normalize/normalize-request.js";
import { decodeTraceRequest, type OtlpEncoding } from "../otlp/decode.js";

/** decode → normalize for one request body; pure, runs on the server thread or a worker. */
export function decodeAndNormalize(body: Uint8Array, encoding: OtlpEncoding): NormalizedBatch {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return normalizeRequest(decodeTraceRequest(buffer, encoding));
}
