import type { ServerResponse } from "node:http";
import { Hono } from "hono";
import { EventStream } from "../api/event-stream.js";
import type { RunEvents } from "../api/run-events.js";
import { acceptsGzip, SseFrame } from "../api/sse-frame.js";
import type { Metrics } from "../metrics.js";

const KEEPALIVE_MS = 15_000;
const CONNECTED = SseFrame.of(": connected\n\n");
const KEEPALIVE = SseFrame.of(": keepalive\n\n");

/** What @hono/node-server passes as the environment: the Node response under the stream. */
interface NodeBindings {
  outgoing?: ServerResponse;
}

export interface EventsRouteOptions {
  events: RunEvents;
  metrics?: Metrics;
  /**
   * Bytes of events a client may leave unsent before it is dropped. A client that stops reading
   * but keeps its connection would otherwise hold every later event in memory. Default 256 KiB.
   */
  maxUnsentBytes?: number;
}

/**
 * `GET /api/events`: `event: run` with a RunRow whenever a run changes; a comment keeps proxies
 * open. Compressed with gzip for clients that take it (browsers do).
 */
export function eventsRoute({ events, metrics, maxUnsentBytes = 256 * 1024 }: EventsRouteOptions): Hono {
  const app = new Hono();
  const streams = new Set<EventStream>();
  let dropped = 0;
  metrics?.gauge("flightrec_sse_buffered_bytes", "Bytes of live events queued and not yet sent.", () => {
    let bytes = 0;
    for (const stream of streams) bytes += stream.unsentBytes;
    return bytes;
  });
  metrics?.counter(
    "flightrec_sse_clients_dropped_total",
    "Live-update clients dropped for leaving events unread.",
    () => dropped,
  );
  const keepalive = setInterval(() => {
    for (const stream of streams) stream.send(KEEPALIVE);
  }, KEEPALIVE_MS);
  keepalive.unref();
  void events.closed.then(() => {
    clearInterval(keepalive);
    for (const stream of streams) stream.close();
  });

  app.get("/api/events", (c) => {
    const encoding = acceptsGzip(c.req.header("accept-encoding")) ? "gzip" : "identity";
    const stream = new EventStream({
      maxUnsentBytes,
      encoding,
      outgoing: (c.env as NodeBindings | undefined)?.outgoing,
      onEnd: (reason) => {
        if (reason === "dropped") dropped++;
        streams.delete(stream);
        unsubscribe();
      },
    });
    const unsubscribe = events.subscribe((frame) => stream.send(frame));
    streams.add(stream);
    stream.send(CONNECTED);
    return c.body(stream.body, 200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "transfer-encoding": "chunked",
      vary: "accept-encoding",
      ...(encoding === "gzip" ? { "content-encoding": "gzip" } : {}),
    });
  });
  return app;
}
