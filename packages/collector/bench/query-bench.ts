import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { fmt } from "./ingest-bench.js";
import { startServerProcess } from "./server-process.js";

const RUNS = 50_000;
const SPANS_PER_RUN = 20; // 1,000,000 spans
const REQUESTS = 200;

/** Fills a store with 1,000,000 spans in SQL (seconds, not the minutes ingest would take). */
async function generateStore(path: string): Promise<void> {
  const store = SqliteStore.open(path);
  const db = store.db;
  db.exec(`
    WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < ${RUNS - 1})
    INSERT INTO runs (run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name, steps,
                      attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id, start_ns,
                      last_ns, updated_at)
    SELECT 'run-' || i, 'agent_' || (i % 10),
           CASE i % 20 WHEN 0 THEN 'error' WHEN 1 THEN 'running' WHEN 2 THEN 'interrupted' ELSE 'ok' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', 1763900000 + i * 10, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1763900000 + i * 10 + 2, 'unixepoch'),
           2000 + (i * 7919) % 5000, 9, 'step_9', 9, 1, 12000, 1800, ((i * 7919) % 1000) / 1000.0,
           CASE i % 20 WHEN 0 THEN 'SMTP down' END, 'req-' || i, 'bench', lower(hex(randomblob(16))),
           (1763900000 + i * 10) * 1000000000, (1763900000 + i * 10 + 2) * 1000000000,
           strftime('%Y-%m-%dT%H:%M:%fZ', 1763900000 + i * 10 + 2, 'unixepoch')
    FROM r;
    WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${RUNS * SPANS_PER_RUN - 1}),
    g AS (SELECT i, i / ${SPANS_PER_RUN} AS run, i % ${SPANS_PER_RUN} AS idx FROM s)
    INSERT INTO spans (span_key, trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at,
                       ended_at, duration_ms, start_ns, end_ns, step_index, model, provider, input_tokens,
                       output_tokens, cost_usd, input, output, error, service, attributes)
    SELECT (((1763900000 + run * 10) * 1000 + idx * 100) << 22) + idx,
           printf('%032x', run), printf('%016x', i), CASE WHEN idx > 0 THEN printf('%016x', run * ${SPANS_PER_RUN}) END,
           'run-' || run, 1,
           CASE WHEN idx = 0 THEN 'run' WHEN idx % 2 = 1 THEN 'step' ELSE 'llm' END,
           CASE WHEN idx = 0 THEN 'invoke_agent agent' WHEN idx % 2 = 1 THEN 'step_' || idx ELSE 'chat gpt-4o' END,
           'ok',
           strftime('%Y-%m-%dT%H:%M:%fZ', (1763900000 + run * 10) + idx / 10.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', (1763900000 + run * 10) + idx / 10.0 + 0.05, 'unixepoch'),
           50, ((1763900000 + run * 10) * 1000 + idx * 100) * 1000000, NULL,
           CASE WHEN idx % 2 = 1 THEN (idx + 1) / 2 END,
           CASE WHEN idx > 0 AND idx % 2 = 0 THEN 'gpt-4o' END, CASE WHEN idx > 0 AND idx % 2 = 0 THEN 'openai' END,
           CASE WHEN idx > 0 AND idx % 2 = 0 THEN 1200 END, CASE WHEN idx > 0 AND idx % 2 = 0 THEN 180 END,
           CASE WHEN idx > 0 AND idx % 2 = 0 THEN 0.0048 END,
           '[{"role":"user","content":"summarize the Q3 sales figures for the north region"}]', '{"rows":42}', NULL,
           'bench', '{"flightrec.run.id":"run-' || run || '","pad":"' || hex(randomblob(100)) || '"}'
    FROM g;
    ANALYZE;`);
  await store.close();
}

async function p95(url: string, paths: () => string): Promise<{ p50: number; p95: number }> {
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
      for (const [label, path] of cases) {
        await p95(server.url, path); // warm
        const { p50, p95: p } = await p95(server.url, path);
        console.log(
          `  ${label.padEnd(28)} p50 ${p50.toFixed(1)} ms, p95 ${p.toFixed(1)} ms (target p95 < 50 ms)`,
        );
      }
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
