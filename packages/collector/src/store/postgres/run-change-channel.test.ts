import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { THREAD_START } from "../../../test/patience.js";
import { createTestDatabase, type TestDatabase } from "../../../test/postgres-database.js";
import { RunChangeFeed } from "../run-changes.js";
import { RunChangeChannel, runChangePayloads } from "./run-change-channel.js";

let database: TestDatabase;
const open: { end(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.end()));
});
afterAll(async () => {
  await database.drop();
});

/** A collector's end of the channel, and the run IDs its feed heard. */
async function collector(): Promise<{ channel: RunChangeChannel; heard: string[]; ups: boolean[] }> {
  const feed = new RunChangeFeed();
  const heard: string[] = [];
  const ups: boolean[] = [];
  feed.subscribe((ids) => heard.push(...ids));
  const channel = await RunChangeChannel.open({
    connection: { connectionString: database.url },
    feed,
    reconnectMs: 50,
    onConnectionChange: (up) => ups.push(up),
  });
  open.push({ end: () => channel.close() });
  return { channel, heard, ups };
}

async function inTransaction(work: (client: pg.Client) => Promise<void>, commit = true): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await work(client);
    await client.query(commit ? "COMMIT" : "ROLLBACK");
  } finally {
    await client.end();
  }
}

describe("RunChangeChannel", () => {
  it("tells the other collectors what a transaction changed once it commits, and its own feed nothing", async () => {
    const a = await collector();
    const b = await collector();
    await inTransaction((client) => a.channel.notify(client, ["rolled-back"]), false);
    await inTransaction((client) => a.channel.notify(client, ["run-1", "run-2"]));
    await vi.waitFor(() => expect(b.heard).toEqual(["run-1", "run-2"]), THREAD_START);
    // Notifications arrive in commit order: had the rolled-back one been sent, it would be here.
    await inTransaction((client) => b.channel.notify(client, ["run-3"]));
    await vi.waitFor(() => expect(a.heard).toEqual(["run-3"]), THREAD_START);
    expect(b.heard).toEqual(["run-1", "run-2"]);
  });

  it("splits many run IDs over notifications PostgreSQL accepts, and loses none", async () => {
    const a = await collector();
    const b = await collector();
    const ids = Array.from({ length: 2_000 }, (_, i) => `run-${i}-${"x".repeat(40)}`);
    expect(runChangePayloads(a.channel.instance, ids).length).toBeGreaterThan(1);
    await inTransaction((client) => a.channel.notify(client, ids));
    await vi.waitFor(() => expect(b.heard).toEqual(ids), THREAD_START);
  });

  it("listens again after its connection was cut", async () => {
    const a = await collector();
    const b = await collector();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    open.push({ end: () => admin.end() });
    const { rowCount } = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1",
      ["LISTEN flightrec_runs"],
    );
    expect(rowCount).toBe(2);
    await vi.waitFor(() => expect(b.ups).toEqual([false, true]), THREAD_START);
    await inTransaction((client) => a.channel.notify(client, ["after-reconnect"]));
    await vi.waitFor(() => expect(b.heard).toEqual(["after-reconnect"]), THREAD_START);
  });
});
