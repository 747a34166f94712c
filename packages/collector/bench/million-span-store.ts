import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";

export const RUNS = 50_000;
export const SPANS_PER_RUN = 20; // 1,000,000 spans
/** Run i starts at FIRST_RUN_S + i * 10 seconds (2025-11-23 onwards, about six days). */
const FIRST_RUN_S = 1763900000;
/** A range holding every run of the store, for /api/stats. */
export const STORE_RANGE = {
  from: new Date(FIRST_RUN_S * 1000).toISOString(),
  to: new Date((FIRST_RUN_S + RUNS * 10) * 1000).toISOString(),
};

/**
 * Fills a store with 1,000,000 spans in SQL (seconds, not the minutes ingest would take). Each
 * run has a root, steps at odd positions, and alternately an LLM call (two models) and a tool call
 * (three tools) at even ones, with durations that vary, so that stats have percentiles to find.
 */
export async function generateStore(path: string): Promise<void> {
  const store = SqliteStore.open(path);
  const db = store.db;
  db.exec(`
    WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < ${RUNS - 1})
    INSERT INTO runs (run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name, steps,
                      attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id, start_ns,
                      last_ns, updated_at)
    SELECT 'run-' || i, 'agent_' || (i % 10),
           CASE i % 20 WHEN 0 THEN 'error' WHEN 1 THEN 'running' WHEN 2 THEN 'interrupted' ELSE 'ok' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', ${FIRST_RUN_S} + i * 10, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', ${FIRST_RUN_S} + i * 10 + 2, 'unixepoch'),
           2000 + (i * 7919) % 5000, 9, 'step_9', 9, 1, 12000, 1800, ((i * 7919) % 1000) / 1000.0,
           CASE i % 20 WHEN 0 THEN 'SMTP down' END, 'req-' || i, 'bench', lower(hex(randomblob(16))),
           (${FIRST_RUN_S} + i * 10) * 1000000000, (${FIRST_RUN_S} + i * 10 + 2) * 1000000000,
           strftime('%Y-%m-%dT%H:%M:%fZ', ${FIRST_RUN_S} + i * 10 + 2, 'unixepoch')
    FROM r;
    WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${RUNS * SPANS_PER_RUN - 1}),
    g AS (SELECT i, i / ${SPANS_PER_RUN} AS run, i % ${SPANS_PER_RUN} AS idx,
                 CASE WHEN i % ${SPANS_PER_RUN} = 0 THEN 'run' WHEN i % 2 = 1 THEN 'step'
                      WHEN i % 4 = 2 THEN 'llm' ELSE 'tool' END AS kind,
                 CASE (i / 4) % 3 WHEN 0 THEN 'send_email' WHEN 1 THEN 'fetch_data' ELSE 'search' END AS tool,
                 CASE WHEN (i / ${SPANS_PER_RUN}) % 3 = 0 THEN 'gpt-4o-mini' ELSE 'gpt-4o' END AS model
          FROM s)
    INSERT INTO spans (span_key, trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at,
                       ended_at, duration_ms, start_ns, end_ns, step_index, model, provider, input_tokens,
                       output_tokens, cost_usd, input, output, error, service, attributes)
    SELECT (((${FIRST_RUN_S} + run * 10) * 1000 + idx * 100) << 22) + idx,
           printf('%032x', run), printf('%016x', i), CASE WHEN idx > 0 THEN printf('%016x', run * ${SPANS_PER_RUN}) END,
           'run-' || run, 1, kind,
           CASE kind WHEN 'run' THEN 'invoke_agent agent' WHEN 'step' THEN 'step_' || idx
                     WHEN 'llm' THEN 'chat ' || model ELSE 'execute_tool ' || tool END,
           CASE WHEN kind = 'tool' AND (i / 4) % 7 = 0 THEN 'error' ELSE 'ok' END,
           strftime('%Y-%m-%dT%H:%M:%fZ', (${FIRST_RUN_S} + run * 10) + idx / 10.0, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', (${FIRST_RUN_S} + run * 10) + idx / 10.0 + 0.05, 'unixepoch'),
           10 + (i * 7919) % 990, ((${FIRST_RUN_S} + run * 10) * 1000 + idx * 100) * 1000000, NULL,
           CASE WHEN kind = 'step' THEN (idx + 1) / 2 END,
           CASE WHEN kind = 'llm' THEN model END, CASE WHEN kind = 'llm' THEN 'openai' END,
           CASE WHEN kind = 'llm' THEN 1200 END, CASE WHEN kind = 'llm' THEN 180 END,
           CASE WHEN kind = 'llm' THEN 0.0048 END,
           '[{"role":"user","content":"summarize the Q3 sales figures for the north region"}]', '{"rows":42}', NULL,
           'bench',
           '{"flightrec.run.id":"run-' || run || '",' ||
             CASE WHEN kind = 'tool' THEN '"gen_ai.tool.name":"' || tool || '",' ELSE '' END ||
             '"pad":"' || hex(randomblob(100)) || '"}'
    FROM g;
    ANALYZE;`);
  await store.close();
}
