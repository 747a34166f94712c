import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt } from "./ingest-bench.js";
import { generateStore, RUNS, SPANS_PER_RUN } from "./million-span-store.js";
import { startServerProcess } from "./server-process.js";

const REQUESTS = 200;

export async function p95(url: string, paths: () => string): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(url + paths());
    if (response.status !== 200) throw new Error(`${paths()} answered ${response.status}`);
    await response.arrayBuffer();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(REQUESTS * 0.5)]!, p95: times[Math.ceil(REQUESTS * 0.95) - 1]! };
}

/** Prints p50 and p95 of each case's requests, each after a warm-up round of its own. */
export async function printLatencies(
  url: string,
  cases: [label: string, path: () => string][],
): Promise<void> {
  for (const [label, path] of cases) {
    await p95(url, path); // warm
    const { p50, p95: p } = await p95(url, path);
    console.log(
      `  ${label.padEnd(28)} p50 ${p50.toFixed(1)} ms, p95 ${p.toFixed(1)} ms (target p95 < 50 ms)`,
    );
  }
}

export async function queryBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-q-"));
  try {
    const db = join(dir, "store.db");
    const started = performance.now();
    await generateStore(db);
    console.log(
      `queries: store of ${fmt(RUNS * SPANS_PER_RUN)} spans in ${fmt(RUNS)} runs generated in ${((performance.now() - started) / 1000).toFixed(1)} s; ${REQUESTS} requests each over HTTP`,
    );
    const server = await startServerProcess(db);
    try {
      const random = () => Math.floor(Math.random() * RUNS);
      const cases: [string, () => string][] = [
        ["run list (newest first)", () => "/api/runs"],
        ["run list, status=error", () => "/api/runs?status=error"],
        ["run list, sort=cost_usd", () => "/api/runs?sort=cost_usd"],
        ["run list, name + page 2", () => `/api/runs?name=agent_3&cursor=${cursorAfter(random())}`],
        ["run list, model=gpt-4o", () => "/api/runs?model=gpt-4o"],
        ["run list, q= text search", () => `/api/runs?q=req-${random()}`],
        ["run detail (20 spans)", () => `/api/runs/run-${random()}`],
      ];
      await printLatencies(server.url, cases);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cursorAfter(run: number): string {
  const startedAt = new Date((1763900000 + run * 10) * 1000).toISOString();
  return Buffer.from(JSON.stringify([startedAt, `run-${run}`])).toString("base64url");
}
