import type { IncomingMessage } from "node:http";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { HttpError, MalformedRequestError } from "../errors.js";

const gunzipAsync = promisify(gunzip);

export interface ReadBodyOptions {
  /** Largest accepted body in bytes, checked on the wire and again after decompression. */
  maxBytes: number;
  /** Told the bytes read so far after each chunk; throwing stops the read with that error. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Reads a request body, decompressing gzip. The limit holds after decompression too, so a
 * small gzip bomb is refused with 413 before it is inflated past the limit.
 */
export async function readBody(request: Request, { maxBytes, onProgress }: ReadBodyOptions): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const raw = await readLimited(request, maxBytes, onProgress);
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  if (encoding !== "gzip") {
    throw new HttpError(415, `unsupported content encoding "${encoding}"; send gzip or no encoding`);
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(maxBytes);
    throw new MalformedRequestError(`invalid gzip body: ${(error as Error).message}`);
  }
}

async function readLimited(
  request: Request,
  maxBytes: number,
  onProgress?: (bytesRead: number) => void,
): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes);
    onProgress?.(size);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    `request body is larger than the limit of ${maxBytes} bytes (after decompression)`,
  );
}

/**
 * Reads and drops a body the collector refuses, so the client gets the answer on a healthy
 * connection (an unread body makes the server close it) while nothing is kept in memory.
 */
export async function discardBody(
  request: Request,
  { maxBytes, incoming }: ReadBodyOptions & { incoming?: IncomingMessage },
): Promise<void> {
  if (incoming && !incoming.readableEnded) {
    // Straight from the socket, without building a web stream for bytes that are thrown away.
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) incoming.destroy();
    });
    await new Promise<void>((resolve) => {
      incoming.once("end", resolve);
      incoming.once("close", resolve);
    });
    return;
  }
  if (!request.body) return;
  let size = 0;
  try {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) return;
    }
  } catch {
    // The client went away; nothing to answer.
  }
}
