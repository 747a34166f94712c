import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { HttpError, MalformedRequestError } from "../errors.js";

const gunzipAsync = promisify(gunzip);

/** Where a body comes from: the Node request when served by Node, else the web Request (tests). */
export interface BodySource {
  request: Request;
  incoming?: IncomingMessage;
}

export interface ReadBodyOptions {
  /** Largest accepted body in bytes, checked on the wire and again after decompression. */
  maxBytes: number;
  /** The whole body must arrive within this many milliseconds of the first call; else 408. */
  timeoutMs: number;
  /** Told the bytes read so far after each chunk; throwing refuses the body with that error. */
  onProgress?: (bytesRead: number) => void;
  /** Told once when the body is refused, as soon as its bytes are no longer kept. */
  onRefused?: () => void;
}

/**
 * Reads a request body, decompressing gzip. The limit holds after decompression too, so a
 * small gzip bomb is refused with 413 before it is inflated past the limit.
 *
 * A refused body (too large, or refused by `onProgress`) is read to its end and dropped before
 * the error is thrown: the answer then reaches the client on a healthy connection, where closing
 * with unread bytes would reset it and lose the answer (an exporter retries a reset forever).
 */
export async function readBody(source: BodySource, options: ReadBodyOptions): Promise<Buffer> {
  const raw = await consume(source, options);
  const encoding = (source.request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip") {
    throw new HttpError(415, `unsupported content encoding "${encoding}"; send gzip or no encoding`);
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: options.maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(options.maxBytes);
    throw new MalformedRequestError(`invalid gzip body: ${(error as Error).message}`);
  }
}

/** Reads and drops a body the collector refuses, then throws `refusal` (see readBody). */
export async function refuseBody(
  source: BodySource,
  refusal: HttpError,
  { timeoutMs }: Pick<ReadBodyOptions, "timeoutMs">,
): Promise<never> {
  await consume(source, { maxBytes: Number.POSITIVE_INFINITY, timeoutMs, refusal });
  throw refusal;
}

interface ConsumeOptions extends ReadBodyOptions {
  /** Refuse from the start: read and drop every byte. */
  refusal?: HttpError;
}

function consume(source: BodySource, options: ConsumeOptions): Promise<Buffer> {
  const stream = source.incoming ?? webBody(source.request);
  if (!stream || stream.readableEnded) {
    return options.refusal ? Promise.reject(options.refusal) : Promise.resolve(Buffer.alloc(0));
  }
  const declared = Number(source.request.headers.get("content-length") ?? Number.NaN);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let refusal: HttpError | undefined;
    const refuse = (error: unknown) => {
      if (refusal) return;
      refusal = error instanceof HttpError ? error : new HttpError(500, String(error));
      chunks.length = 0;
      options.onRefused?.();
    };
    const settle = (error: HttpError | null) => {
      clearTimeout(timer);
      stream.off("data", onData).off("end", onEnd).off("close", onClose).off("error", onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (refusal) return;
      if (size > options.maxBytes) return refuse(tooLarge(options.maxBytes));
      try {
        options.onProgress?.(size);
      } catch (error) {
        return refuse(error);
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(refusal ?? null);
    const onClose = () =>
      settle(refusal ?? new HttpError(400, "the client closed the connection before the body ended"));
    // Past the deadline the connection is closed after the answer: the rest of the body is not awaited.
    const timer = setTimeout(
      () => settle(closing(refusal ?? bodyTimeout(options.timeoutMs))),
      options.timeoutMs,
    );
    if (options.refusal) refuse(options.refusal);
    else if (declared > options.maxBytes) refuse(tooLarge(options.maxBytes));
    stream.on("error", ignore); // stays after settling: a reset after the answer is no one's error
    stream.on("data", onData).on("end", onEnd).on("close", onClose).on("error", onClose);
  });
}

const ignore = () => {};

function webBody(request: Request): Readable | null {
  return request.body ? Readable.fromWeb(request.body as import("node:stream/web").ReadableStream) : null;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    `request body is larger than the limit of ${maxBytes} bytes (after decompression)`,
  );
}

function bodyTimeout(timeoutMs: number): HttpError {
  return new HttpError(
    408,
    `request body did not arrive within ${timeoutMs} ms; send it faster or in smaller requests`,
  );
}

/** The same answer, on a connection the server closes once it is sent. */
function closing(error: HttpError): HttpError {
  return new HttpError(error.status, error.message, { ...error.headers, connection: "close" });
}
