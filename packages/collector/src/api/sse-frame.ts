import { constants, deflateRawSync } from "node:zlib";

export type StreamEncoding = "gzip" | "identity";

/**
 * The ten bytes a gzip stream starts with (deflate, no name, no time, unknown OS). Each client
 * gets them once, then frames' deflated bytes; the trailer never comes, as the stream never ends
 * cleanly, and a browser inflates what arrives as it arrives.
 */
export const GZIP_HEADER: Uint8Array = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * Server-sent events serialized once for every client, and compressed once when the first client
 * that takes gzip needs them. Each frame is deflated on its own and ends at a sync flush point
 * (never a final block): frames in any order of ticks, after GZIP_HEADER, form a valid gzip
 * stream, so a client can start at any frame and all clients share the same compressed bytes.
 * Rows of runs compress ~20 times, which is what each client's socket no longer copies.
 */
export class SseFrame {
  private compressed: Uint8Array | null = null;

  constructor(readonly plain: Uint8Array) {}

  static of(text: string): SseFrame {
    return new SseFrame(Buffer.from(text));
  }

  get deflated(): Uint8Array {
    this.compressed ??= deflateRawSync(this.plain, { level: 1, finishFlush: constants.Z_SYNC_FLUSH });
    return this.compressed;
  }

  bytes(encoding: StreamEncoding): Uint8Array {
    return encoding === "gzip" ? this.deflated : this.plain;
  }
}

/** True when an Accept-Encoding header takes gzip (browsers' EventSource sends it). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name) weights.set(name, q === undefined ? 1 : Number(q.slice(2)));
  }
  return (weights.get("gzip") ?? weights.get("*") ?? 0) > 0;
}
