import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvents } from "../api/run-events.js";

const KEEPALIVE_MS = 15_000;

export interface EventsRouteOptions {
  events: RunEvents;
  /**
   * Bytes of events a client may leave unread before it is dropped. A client that stops reading
   * but keeps its connection would otherwise hold every later event in memory; EventSource
   * reconnects, and the dashboard polls meanwhile.
   */
  maxUnsentBytes?: number;
}

/** `GET /api/events`: `event: run` with a RunRow whenever a run changes; a comment keeps proxies open. */
export function eventsRoute({ events, maxUnsentBytes = 4 * 1024 * 1024 }: EventsRouteOptions): Hono {
  const app = new Hono();
  app.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      // Registered before the first await, so an early disconnect is not missed.
      const aborted = new Promise<void>((resolve) => stream.onAbort(resolve));
      let unsent = 0;
      const unsubscribe = events.subscribe((rows) => {
        for (const row of rows) {
          const data = JSON.stringify(row);
          unsent += data.length;
          void stream.writeSSE({ event: "run", data }).then(() => {
            unsent -= data.length;
          });
        }
        if (unsent > maxUnsentBytes) stream.abort();
      });
      const keepalive = setInterval(() => void stream.write(": keepalive\n\n"), KEEPALIVE_MS);
      await stream.write(": connected\n\n");
      await Promise.race([aborted, events.closed]);
      clearInterval(keepalive);
      unsubscribe();
    }),
  );
  return app;
}
