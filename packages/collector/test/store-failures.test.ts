import { mkdtempSync, readdirSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CollectorApp, createCollectorApp } from "../src/app.js";
import { createLogger } from "../src/logger.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { otlpJson } from "./otlp-builder.js";

let dir: string;
let path: string;
let store: SqliteStore;
let collector: CollectorApp;
let logs: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "flightrec-store-failures-"));
  path = join(dir, "store.db");
  store = SqliteStore.open(path);
  logs = [];
  collector = createCollectorApp({
    store,
    dbPath: path,
    logger: createLogger("info", (line) => logs.push(line) > 0),
  });
});
afterEach(async () => {
  await collector.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (runId: string) =>
  collector.app.request("http://localhost/v1/traces", {
    method: "POST",
    headers: { "content-type": "application/json", host: "localhost" },
    body: otlpJson([
      {
        name: "invoke_agent",
        startMs: Date.now(),
        attributes: { "flightrec.run.id": runId, "flightrec.span.kind": "run", note: "x".repeat(8_000) },
      },
    ]),
  });

/** The store file cannot grow past its current size, as on a full disk. */
function fillDisk(): void {
  store.db.pragma(`max_page_count = ${store.db.pragma("page_count", { simple: true })}`);
}

function freeDisk(): void {
  store.db.pragma("max_page_count = 1073741823");
}

const runIds = () => store.db.prepare("SELECT run_id FROM runs ORDER BY run_id").pluck().all();

describe("a store that cannot take writes", () => {
  it("answers 503 with Retry-After, which OTLP exporters retry, when the disk is full", async () => {
    expect((await post("before")).status).toBe(200);
    fillDisk();
    const refused = await post("during");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(logs.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: "error", msg: expect.stringMatching(/full/) }),
    );
    freeDisk();
    expect((await post("during")).status).toBe(200);
    expect(runIds()).toEqual(["before", "during"]);
  });

  it("refuses to acknowledge spans into a store file that was deleted, and says so on /health", async () => {
    expect((await post("before")).status).toBe(200);
    for (const file of readdirSync(dir)) unlinkSync(join(dir, file));
    // The open connection would still write, into a file no one can open again.
    const refused = await post("after");
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/deleted/);
    const health = await collector.app.request("http://localhost/health", { headers: { host: "localhost" } });
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "degraded", store: { writable: false } });
  });
});
