import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvents } from "../api/run-events.js";

const KEEPALIVE_MS = 15_000;

/** `GET /api/events`: `event: run` with a RunRow whenever a run changes; a comment keeps proxies open. */
export function eventsRoute({ events }: { events: RunEvents }): Hono {
  const app = new Hono();
  app.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribe = events.subscribe((rows) => {
        for (const row of rows) void stream.writeSSE({ event: "run", data: JSON.stringify(row) });
      });
      const keepalive = setInterval(() => void stream.write(": keepalive\n\n"), KEEPALIVE_MS);
      await stream.write(": connected\n\n");
      await Promise.race([new Promise<void>((resolve) => stream.onAbort(resolve)), events.closed]);
      clearInterval(keepalive);
      unsubscribe();
    }),
  );
  return app;
}
