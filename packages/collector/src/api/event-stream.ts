import type { ServerResponse } from "node:http";
import { GZIP_HEADER, type SseFrame, type StreamEncoding } from "./sse-frame.js";

export interface EventStreamOptions {
  /** Bytes a client may leave unsent before a new frame, beyond which it is dropped. */
  maxUnsentBytes: number;
  /** gzip for clients that take it: every frame's bytes then come compressed, after GZIP_HEADER. */
  encoding: StreamEncoding;
  /** The Node response under the stream (when served by Node): its buffer counts as unsent, and dropping destroys it. */
  outgoing?: ServerResponse;
  /** Called once when the stream ends, whatever ended it. */
  onEnd: (reason: "dropped" | "closed") => void;
}

/**
 * One live client's server-sent event stream. Frames are shared between clients (serialized once
 * a tick) and queued by reference, so a client costs what it has not yet taken, never a copy. A
 * client that still has more than `maxUnsentBytes` unsent when a frame would pass the limit is
 * dropped: its connection is closed and what was queued for it is let go. EventSource reconnects,
 * and the dashboard polls meanwhile.
 */
export class EventStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private ended = false;

  constructor(private readonly options: EventStreamOptions) {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
          if (options.encoding === "gzip") controller.enqueue(GZIP_HEADER);
        },
        cancel: () => this.end("closed"),
      },
      // Queue bytes, and ask for none ahead: desiredSize is then minus the bytes queued.
      new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
    );
    options.outgoing?.once("close", () => this.end("closed"));
  }

  /** Bytes queued for this client and not yet taken by its connection. */
  get unsentBytes(): number {
    if (this.ended) return 0;
    return -(this.controller.desiredSize ?? 0) + (this.options.outgoing?.writableLength ?? 0);
  }

  /** Queues a frame; false when the client was too far behind and is dropped instead. */
  send(frame: SseFrame): boolean {
    if (this.ended) return false;
    const bytes = frame.bytes(this.options.encoding);
    const unsent = this.unsentBytes;
    if (unsent > 0 && unsent + bytes.byteLength > this.options.maxUnsentBytes) {
      this.drop();
      return false;
    }
    this.controller.enqueue(bytes);
    return true;
  }

  /** Ends the stream once what is queued has been sent (the collector is shutting down). */
  close(): void {
    if (this.ended) return;
    this.controller.close();
    this.end("closed");
  }

  private drop(): void {
    this.end("dropped");
    // Closing the connection frees its socket buffer too; without Node (tests) the stream errors.
    if (this.options.outgoing) this.options.outgoing.destroy();
    else this.controller.error(new Error("live client dropped: too far behind"));
  }

  private end(reason: "dropped" | "closed"): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd(reason);
  }
}
