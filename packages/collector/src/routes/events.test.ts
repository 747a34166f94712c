import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spanRecord } from "../../test/span-record.js";
import { RunEvents } from "../api/run-events.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { eventsRoute } from "./events.js";

let dir: string;
let store: SqliteStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flightrec-events-"));
  store = SqliteStore.open(join(dir, "store.db"));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/events", () => {
  it("drops a client that leaves events unread, instead of queueing them without bound", async () => {
    const events = new RunEvents({ store, intervalMs: 1 });
    const app = eventsRoute({ events, maxUnsentBytes: 4_000 });
    // The response body is never read: every event stays queued in the server.
    const response = await app.request("/api/events");
    expect(response.status).toBe(200);
    expect(events.clients).toBe(1);
    const runIds = Array.from({ length: 40 }, (_, i) => `unread-${i}`);
    await store.ingest(
      runIds.map((runId, i) =>
        spanRecord({ runId, kind: "run", name: "run", spanId: (i + 1).toString(16).padStart(16, "0") }),
      ),
    );
    events.notify(runIds);
    while (events.clients > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events.clients).toBe(0);
    events.close();
  });
});
