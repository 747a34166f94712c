/**
 * Recomputes one `runs` row from its spans. A run exists as soon as any of its spans
 * arrives (a crashed agent never sends its root span) and is completed when the root does.
 * The newest attempt decides status and position; tokens and cost add up over all attempts.
 */
export const ROLLUP_RUN_SQL = `
WITH s AS (SELECT * FROM spans WHERE run_id = @run_id),
     latest AS (SELECT max(attempt) AS attempt FROM s),
     root AS (
       SELECT * FROM s WHERE kind = 'run' AND attempt = (SELECT attempt FROM latest)
       ORDER BY start_ns DESC LIMIT 1
     ),
     interruption AS (
       SELECT reason FROM interruptions WHERE run_id = @run_id AND attempt = (SELECT attempt FROM latest)
     ),
     current AS (
       SELECT step_index, name FROM s
       WHERE kind = 'step' AND attempt = (SELECT attempt FROM latest) AND step_index IS NOT NULL
       ORDER BY step_index DESC, start_ns DESC LIMIT 1
     )
INSERT INTO runs (run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name,
                  steps, attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, updated_at)
SELECT
  @run_id,
  coalesce(@run_name, (SELECT json_extract(attributes, '$."gen_ai.agent.name"') FROM s WHERE kind = 'run' LIMIT 1)),
  -- Finished ok wins (a run thought dead may finish after all); then a recorded interruption.
  CASE WHEN (SELECT status FROM root) = 'ok' THEN 'ok'
       WHEN (SELECT reason FROM interruption) IS NOT NULL THEN 'interrupted'
       WHEN (SELECT status FROM root) = 'error' THEN 'error'
       ELSE 'running' END,
  (SELECT started_at FROM s ORDER BY start_ns LIMIT 1),
  (SELECT ended_at FROM root),
  (SELECT (max(coalesce(end_ns, start_ns)) - min(start_ns)) / 1e6 FROM s WHERE (SELECT status FROM root) IN ('ok', 'error')),
  (SELECT step_index FROM current),
  (SELECT name FROM current),
  (SELECT count(DISTINCT step_index) FROM s WHERE kind = 'step' AND attempt = (SELECT attempt FROM latest)),
  (SELECT attempt FROM latest),
  (SELECT sum(input_tokens) FROM s WHERE kind = 'llm'),
  (SELECT sum(output_tokens) FROM s WHERE kind = 'llm'),
  (SELECT sum(cost_usd) FROM s WHERE kind = 'llm'),
  coalesce(CASE WHEN (SELECT status FROM root) IS NOT 'ok' THEN (SELECT reason FROM interruption) END,
           (SELECT error FROM root),
           (SELECT error FROM s WHERE status = 'error' AND attempt = (SELECT attempt FROM latest) ORDER BY start_ns DESC LIMIT 1)),
  (SELECT json_extract(attributes, '$."flightrec.request.id"') FROM s
     WHERE json_extract(attributes, '$."flightrec.request.id"') IS NOT NULL ORDER BY attempt DESC LIMIT 1),
  @service,
  @now
ON CONFLICT (run_id) DO UPDATE SET
  name = coalesce(excluded.name, runs.name),
  status = excluded.status,
  started_at = excluded.started_at,
  ended_at = excluded.ended_at,
  duration_ms = excluded.duration_ms,
  current_step = excluded.current_step,
  current_step_name = excluded.current_step_name,
  steps = excluded.steps,
  attempts = excluded.attempts,
  input_tokens = excluded.input_tokens,
  output_tokens = excluded.output_tokens,
  cost_usd = excluded.cost_usd,
  error = excluded.error,
  request_id = coalesce(excluded.request_id, runs.request_id),
  service = coalesce(excluded.service, runs.service),
  updated_at = excluded.updated_at
`;
