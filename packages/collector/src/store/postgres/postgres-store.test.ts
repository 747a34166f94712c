import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, TEST_POSTGRES, type TestDatabase } from "../../../test/postgres-database.js";
import { spanRecord } from "../../../test/span-record.js";
import { startInterruptSweeper } from "../../verdict/interrupt-sweeper.js";
import type { DurabilityStore } from "../durability.js";
import { StoreBusyError, StoreUnavailableError } from "../store.js";
import { dayAt, partitionDays, partitionName } from "./partitions.js";
import { PostgresStore } from "./postgres-store.js";

let database: TestDatabase;
const stores: PostgresStore[] = [];
const open = async () => {
  const store = await PostgresStore.open(database.url);
  stores.push(store);
  return store;
};
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query("TRUNCATE runs, spans, traces, decisions, failures, interruptions, logs");
  await client.end();
});
afterAll(async () => {
  await database?.drop();
});

const T0 = 1_763_900_000_000_000_000n;
const span = (runId: string, traceByte: string, startNs = T0) =>
  spanRecord({
    traceId: traceByte.repeat(32),
    runId,
    kind: "run",
    name: runId,
    startNs,
    endNs: startNs + 1_000_000n,
  });

const onDatabase = <T>(work: (client: pg.Client) => Promise<T>) => database.withClient(work);

describe("PostgreSQL retention", () => {
  it("drops a day's partition when every run in it goes, and keeps it while one stays", async () => {
    const store = await open();
    await store.ingest([span("old-1", "a"), span("old-2", "b")]);
    // A run that started after the cutoff keeps the day.
    await store.ingest([span("new", "c", 4_102_444_800_000_000_000n)]);
    const today = partitionName(dayAt(Date.now()));
    const cutoff = "2099-01-01T00:00:00.000Z";
    expect(await store.deleteRunsBefore(cutoff, 1)).toEqual({ deleted: 1, more: true });
    expect(await onDatabase(partitionDays)).toContain(dayAt(Date.now()));
    expect(await store.deleteRunsBefore(cutoff, 10)).toEqual({ deleted: 1, more: false });
    const left = await onDatabase(async (c) => (await c.query("SELECT run_id FROM spans")).rows);
    expect(left).toEqual([{ run_id: "new" }]);

    // With that run gone too, the day's partition is dropped whole, and its rows with it.
    await onDatabase((c) => c.query("UPDATE runs SET started_at = '2000-01-01', updated_at = '2000-01-01'"));
    const later = "2099-06-01T00:00:00.000Z";
    expect(await store.deleteRunsBefore(later, 10)).toEqual({ deleted: 1, more: false });
    const tables = await onDatabase(
      async (c) => (await c.query("SELECT tablename FROM pg_tables WHERE tablename = $1", [today])).rows,
    );
    expect(tables).toEqual([]);
    expect(
      await onDatabase(async (c) => (await c.query("SELECT count(*)::int AS n FROM traces")).rows),
    ).toEqual([{ n: 0 }]);
    // Spans of today arrive after the drop: the partition is made again.
    await store.ingest([span("after", "d")]);
    expect((await store.getRun("after"))?.spans).toHaveLength(1);
  });
});

describe("PostgreSQL availability", () => {
  it("answers StoreUnavailableError (503) when the server cannot be reached, and works again after", async () => {
    const store = await open();
    await onDatabase(async () => {});
    const admin = new pg.Client({ ...TEST_POSTGRES, database: "postgres" });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
        database.name,
      ]);
      const refused = await store.ingest([span("down", "e")]).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreUnavailableError);
      expect((refused as StoreUnavailableError).status).toBe(503);
      expect(await store.isWritable()).toBe(false);
      await expect(store.listRuns({ sort: "started_at", order: "desc", limit: 10 })).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
    } finally {
      await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    expect((await store.ingest([span("up", "f")])).stored).toBe(1);
    expect(await store.isWritable()).toBe(true);
  });

  it("refuses reads beyond its waiting line with StoreBusyError (429), and answers those it took", async () => {
    const store = await PostgresStore.open(database.url, { maxConnections: 1, maxWaitingReads: 2 });
    stores.push(store);
    await store.ingest([span("busy", "8")]);
    const reads = Array.from({ length: 6 }, () => store.getRun("busy").catch((error: unknown) => error));
    const answers = await Promise.all(reads);
    const refused = answers.filter((a) => a instanceof StoreBusyError);
    expect(refused.length).toBeGreaterThan(0);
    expect((refused[0] as StoreBusyError).status).toBe(429);
    expect(answers.filter((a) => a && typeof a === "object" && "run" in a)).toHaveLength(6 - refused.length);
  });

  it("refuses to open on a server that does not answer", async () => {
    await expect(PostgresStore.open("postgres://postgres@127.0.0.1:1/none")).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});

describe("run changes across collectors", () => {
  it("tell each collector what another committed", async () => {
    const a = await open();
    const b = await open();
    const heardByB: string[] = [];
    const heardByA: string[] = [];
    b.onRunsChanged((ids) => heardByB.push(...ids));
    a.onRunsChanged((ids) => heardByA.push(...ids));
    await a.ingest([span("told", "9")]);
    await vi.waitFor(() => expect(heardByB).toContain("told"), { timeout: 5_000 });
    expect(heardByA).toEqual(["told"]);
  });
});

describe("the interrupt sweep's lead", () => {
  it("is one collector's at a time, and passes on when it stops", async () => {
    const a = await open();
    const b = await open();
    expect(await a.durability.leadsSweep()).toBe(true);
    expect(await b.durability.leadsSweep()).toBe(false);
    expect(await a.durability.leadsSweep()).toBe(true);
    await a.close();
    stores.splice(stores.indexOf(a), 1);
    expect(await b.durability.leadsSweep()).toBe(true);
  });

  it("lets only the leader's sweeper judge runs", async () => {
    const leader = await open();
    const other = await open();
    expect(await leader.durability.leadsSweep()).toBe(true);
    const looked = { leader: 0, other: 0 };
    const counting = (store: PostgresStore, who: keyof typeof looked): DurabilityStore => ({
      ...store.durability,
      openAttemptsSince: (since) => {
        looked[who]++;
        return store.durability.openAttemptsSince(since);
      },
    });
    await leader.ingest([
      spanRecord({
        traceId: "7".repeat(32),
        runId: "killed",
        kind: "run",
        status: "running",
        endNs: null,
        pending: true,
        startNs: T0,
        attributes: '{"flightrec.run.interrupted":"SIGTERM"}',
      }),
    ]);
    const sweepers = [
      startInterruptSweeper({ queries: counting(leader, "leader"), sweepIntervalMs: 20 }),
      startInterruptSweeper({ queries: counting(other, "other"), sweepIntervalMs: 20 }),
    ];
    try {
      await vi.waitFor(async () => expect((await other.getRuns(["killed"]))[0]?.status).toBe("interrupted"), {
        timeout: 10_000,
      });
      await vi.waitFor(() => expect(looked.leader).toBeGreaterThan(3), { timeout: 10_000 });
    } finally {
      for (const sweeper of sweepers) sweeper.stop();
    }
    expect(looked.other).toBe(0);
  });
});

describe("the store's connections", () => {
  it("name themselves flightrec in pg_stat_activity, unless the store URL names them otherwise", async () => {
    const names = () =>
      onDatabase(async (client) => {
        const { rows } = await client.query<{ name: string }>(
          `SELECT DISTINCT application_name AS name FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY 1`,
        );
        return rows.map((r) => r.name);
      });
    const store = await open();
    await store.ingest([span("named", "a")]);
    expect(await names()).toEqual(["flightrec"]);
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    const url = new URL(database.url);
    url.searchParams.set("application_name", "collector-eu-1");
    const named = await PostgresStore.open(url.toString());
    stores.push(named);
    await named.ingest([span("named-too", "b")]);
    // The first store's connections end on the server a moment after it closed them.
    await vi.waitFor(async () => expect(await names()).toEqual(["collector-eu-1"]), { timeout: 5_000 });
  });
});
