/**
 * The PostgreSQL store against the SQLite store, in the same run:
 * - ingest over HTTP (OTLP/JSON, 512 spans a request, 4 senders): spans/s into SQLite, into
 *   PostgreSQL through one collector and through two collectors sharing the database (senders
 *   alternate between them); the collectors' CPU a span, and the PostgreSQL server's;
 * - run list and run detail p50/p95 over HTTP on a PostgreSQL store of 1,000,000 spans (target
 *   p95 under 50 ms, as for SQLite).
 * Needs the PostgreSQL server the tests use (127.0.0.1:5432); makes a database and drops it after.
 * BENCH_PG_RUNS sets the query store's runs (9 spans each); BENCH_PG_ONLY_QUERIES=1 skips ingest.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { normalizeRequest } from "../src/normalize/normalize-request.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { createTestDatabase } from "../test/postgres-database.js";
import { fmt, pct } from "./ingest-bench.js";
import { keepAliveAgent, post } from "./post.js";
import { printLatencies } from "./query-bench.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const RUNS = 3_000;
const STEPS = 4; // 9 spans a run → 27,000 spans a round
const BATCH = 512;
const SENDERS = 4;
const ROUNDS = 3;
/** 111,112 runs of 9 spans: 1,000,008 spans. */
const MILLION_RUNS = Number(process.env.BENCH_PG_RUNS ?? 111_112);

/** CPU time of every PostgreSQL server process on this machine so far, in seconds (Linux). */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!comm.startsWith("postgres")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100;
}

interface Rate {
  rate: number;
  collectorUs: number;
  postgresUs: number;
}

/** Posts the bodies with SENDERS senders, each sender keeping to one of the servers in turn. */
async function ingestRate(servers: ServerProcess[], bodies: string[], spans: number): Promise<Rate> {
  const agents = servers.map(() => keepAliveAgent(SENDERS));
  const cpuBefore = servers.map((s) => s.cpuSeconds());
  const pgBefore = postgresCpuSeconds();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      const at = sender % servers.length;
      const target = new URL("/v1/traces", servers[at]!.url);
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const status = await post(agents[at]!, target, body, "application/json");
          if (status === 200) break;
          if (status !== 429 && status !== 503) throw new Error(`ingest answered ${status}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
  const collectorCpu = servers.reduce((sum, s, i) => sum + s.cpuSeconds() - cpuBefore[i]!, 0);
  return {
    rate: spans / seconds,
    collectorUs: (collectorCpu * 1e6) / spans,
    postgresUs: ((postgresCpuSeconds() - pgBefore) * 1e6) / spans,
  };
}

const median = (runs: Rate[]) => [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;

async function ingestComparison(dir: string, url: string): Promise<void> {
  const sqlite = [await startServerProcess(join(dir, "store.db"))];
  const one = [await startServerProcess(url)];
  const two = [one[0]!, await startServerProcess(url)];
  try {
    const round = (seed: number) =>
      batches(agentSpans(RUNS, STEPS, seed), BATCH).map((r) => JSON.stringify(r));
    const spans = RUNS * (2 * STEPS + 1);
    const setups = [
      { label: "SQLite, one collector", servers: sqlite },
      { label: "PostgreSQL, one collector", servers: one },
      { label: "PostgreSQL, two collectors", servers: two },
    ];
    const results = setups.map(() => [] as Rate[]);
    let seed = 100;
    for (const { servers } of setups) await ingestRate(servers, round(seed++), spans); // warm up (JIT)
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, { servers }] of setups.entries())
        results[i]!.push(await ingestRate(servers, round(seed++), spans));
    }
    console.log(
      `postgres ingest: ${fmt(spans)} spans a round in requests of ${BATCH} (OTLP/JSON), ${SENDERS} senders; median of ${ROUNDS} rounds taking turns`,
    );
    const base = median(results[0]!).rate;
    for (const [i, { label }] of setups.entries()) {
      const m = median(results[i]!);
      const rates = results[i]!.map((x) => x.rate);
      console.log(
        `  ${label.padEnd(27)} ${fmt(m.rate)} spans/s (${pct(m.rate / base)} of SQLite; range ${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))})` +
          `, collector CPU ${m.collectorUs.toFixed(1)} µs a span` +
          (i === 0 ? "" : `, PostgreSQL server CPU ${m.postgresUs.toFixed(1)} µs a span`),
      );
    }
  } finally {
    for (const server of new Set([...sqlite, ...one, ...two])) await server.stop();
  }
}

async function queryLatency(url: string): Promise<void> {
  const started = performance.now();
  const store = await PostgresStore.open(url);
  let runs = 0;
  try {
    const spans = agentSpans(MILLION_RUNS, STEPS, 1);
    for (const request of batches(spans, 4_096)) await store.ingest(normalizeRequest(request).spans);
    runs = MILLION_RUNS;
  } finally {
    await store.close();
  }
  // Measured on fresh statistics, as autovacuum keeps them in production (it would get to these
  // tables about a minute after the fill) and as the SQLite store's bench does with ANALYZE.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("ANALYZE");
  await client.end();
  const total = MILLION_RUNS * (2 * STEPS + 1);
  console.log(
    `postgres queries: ${fmt(total)} spans in ${fmt(runs)} runs ingested through the store and analyzed in ${((performance.now() - started) / 1000).toFixed(0)} s; 200 requests each over HTTP`,
  );
  const server = await startServerProcess(url);
  try {
    const random = () => Math.floor(Math.random() * MILLION_RUNS);
    const cases: [string, () => string][] = [
      ["run list (newest first)", () => "/api/runs"],
      ["run list, status=ok", () => "/api/runs?status=ok"],
      ["run list, sort=cost_usd", () => "/api/runs?sort=cost_usd"],
      ["run list, model=gpt-4o", () => "/api/runs?model=gpt-4o"],
      ["run detail (9 spans)", () => `/api/runs/task-1-${random()}`],
    ];
    await printLatencies(server.url, cases);
  } finally {
    await server.stop();
  }
}

export async function postgresBench(): Promise<void> {
  if (process.env.BENCH_PG_ONLY_QUERIES) {
    const db = await createTestDatabase();
    try {
      await queryLatency(db.url);
    } finally {
      await db.drop();
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-pg-"));
  const ingestDb = await createTestDatabase();
  const queryDb = await createTestDatabase();
  try {
    await ingestComparison(dir, ingestDb.url);
    await queryLatency(queryDb.url);
  } finally {
    await ingestDb.drop();
    await queryDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
