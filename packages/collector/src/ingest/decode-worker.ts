import { parentPort } from "node:worker_threads";
import { HttpError } from "../errors.js";
import type { OtlpEncoding } from "../otlp/decode.js";
import { decodeAndNormalize, type OtlpSignal } from "./decode-normalize.js";

interface Job {
  id: number;
  body: Uint8Array;
  encoding: OtlpEncoding;
  signal: OtlpSignal;
}

parentPort!.on("message", ({ id, body, encoding, signal }: Job) => {
  try {
    parentPort!.postMessage({ id, batch: decodeAndNormalize(body, encoding, signal) });
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    parentPort!.postMessage({ id, error: { status, message: (error as Error).message } });
  }
});
