import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateStore, STORE_RANGE } from "./million-span-store.js";
import { keepAliveAgent, post } from "./post.js";
import { startServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const INGEST_REQUESTS = 150;
/** Pause between ingest requests: a steady trickle, as agents send while someone opens the usage page. */
const PACE_MS = 20;
/** Clients asking for /api/stats at once, each again as soon as answered (the case: four). */
const STATS_CLIENTS = 4;

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  /** Requests not answered 200. */
  failed: number;
}

/**
 * Ingest latency on a 1,000,000-span store, alone and while clients keep asking for a month of
 * daily stats. The stall is how much longer the slowest ingest request waited with stats running
 * than without; stats must run elsewhere than the thread that accepts spans (target < 50 ms).
 */
export async function statsStallBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-s-"));
  try {
    const db = join(dir, "store.db");
    await generateStore(db);
    const server = await startServerProcess(db);
    try {
      const bodies = batches(agentSpans(3 * INGEST_REQUESTS, 4, 7), 9).map((r) => JSON.stringify(r));
      const statsPath = `/api/stats?bucket=day&from=${STORE_RANGE.from}&to=${STORE_RANGE.to}`;
      // Warm: the store's pages in the cache, the read threads started, as on a collector that has run a while.
      await ingestLatencies(server.url, bodies.slice(0, INGEST_REQUESTS));
      await fetch(server.url + statsPath).then(expectOk);
      const once = await timed(() => fetch(server.url + statsPath).then(expectOk));
      const alone = await ingestLatencies(server.url, bodies.slice(INGEST_REQUESTS, 2 * INGEST_REQUESTS));
      const load = statsLoad(server.url + statsPath);
      const during = await ingestLatencies(server.url, bodies.slice(2 * INGEST_REQUESTS));
      const stats = await load.stop();
      const stall = during.max - alone.max;
      console.log(
        `stats stall: ingest on a 1,000,000-span store while ${STATS_CLIENTS} clients read /api/stats?bucket=day: ` +
          `stall ${stall.toFixed(1)} ms (worst ${during.max.toFixed(1)} ms against ${alone.max.toFixed(1)} ms alone; target < 50 ms)`,
      );
      console.log(
        `  ingest alone p50 ${alone.p50.toFixed(1)} / p99 ${alone.p99.toFixed(1)} ms; with stats p50 ${during.p50.toFixed(1)} / p99 ${during.p99.toFixed(1)} ms, ${during.failed + alone.failed} not answered 200` +
          ` (${(during.p99 / alone.p99).toFixed(2)}×); ${stats.answered} stats answered meanwhile, ${stats.refused} refused (429), ${stats.failed} failed; one stats call ${once.toFixed(0)} ms`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestLatencies(url: string, bodies: string[]): Promise<Latencies> {
  const agent = keepAliveAgent(1);
  const target = new URL("/v1/traces", url);
  const times: number[] = [];
  let failed = 0;
  try {
    for (const body of bodies) {
      const started = performance.now();
      // A reset connection (the server closed a keep-alive socket while its thread was busy) counts as failed.
      const status = await post(agent, target, body, "application/json").catch(() => 0);
      times.push(performance.now() - started);
      if (status !== 200) failed++;
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  } finally {
    agent.destroy();
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1]!, failed };
}

/** STATS_CLIENTS loops asking for stats until stopped. */
function statsLoad(url: string): { stop(): Promise<{ answered: number; refused: number; failed: number }> } {
  let running = true;
  const counts = { answered: 0, refused: 0, failed: 0 };
  const client = async () => {
    while (running) {
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status === 200) counts.answered++;
        else if (response.status === 429) counts.refused++;
        else counts.failed++;
      } catch {
        counts.failed++; // a connection the server closed while its thread was busy
      }
    }
  };
  const clients = Array.from({ length: STATS_CLIENTS }, client);
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return counts;
    },
  };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function expectOk(response: Response): Promise<void> {
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}`);
}
