import { Hono } from "hono";
import type { DecisionStore } from "../store/store.js";

export function healthRoute({ store }: { store: DecisionStore }): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const writable = await store.isWritable();
    return c.json({ status: writable ? "ok" : "degraded", store: { writable } }, writable ? 200 : 503);
  });
  return app;
}
