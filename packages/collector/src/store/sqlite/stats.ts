import type { Stats, StatsQuery } from "../store.js";
import type { StatementCache } from "./statement-cache.js";

const BUCKET_FORMAT = { hour: "%Y-%m-%dT%H:00:00Z", day: "%Y-%m-%dT00:00:00Z" } as const;

/** Usage over time, and latency percentiles by model and tool, for runs started in [from, to]. */
export function stats(statements: StatementCache, query: StatsQuery): Stats {
  const range = { from: query.from, to: query.to };
  const series = statements
    .get(
      `SELECT strftime('${BUCKET_FORMAT[query.bucket]}', started_at) AS bucket, count(*) AS runs,
              sum(status = 'error') AS errors, coalesce(sum(input_tokens), 0) AS input_tokens,
              coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cost_usd), 0) AS cost_usd
       FROM runs WHERE started_at >= @from AND started_at <= @to GROUP BY bucket ORDER BY bucket`,
    )
    .all(range) as Stats["series"];
  const inRange = "run_id IN (SELECT run_id FROM runs WHERE started_at >= @from AND started_at <= @to)";
  const byModel = statements
    .get(
      `WITH calls AS (
         SELECT coalesce(model, '(unknown)') AS model, input_tokens, output_tokens, cost_usd, duration_ms,
                row_number() OVER (PARTITION BY coalesce(model, '(unknown)') ORDER BY duration_ms NULLS LAST) AS n,
                count(duration_ms) OVER (PARTITION BY coalesce(model, '(unknown)')) AS timed
         FROM spans WHERE kind = 'llm' AND ${inRange})
       SELECT model, count(*) AS calls, coalesce(sum(input_tokens), 0) AS input_tokens,
              coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cost_usd), 0) AS cost_usd,
              ${percentile(0.5)} AS p50_ms, ${percentile(0.95)} AS p95_ms
       FROM calls GROUP BY model ORDER BY calls DESC`,
    )
    .all(range) as Stats["byModel"];
  const byTool = statements
    .get(
      `WITH calls AS (
         SELECT coalesce(json_extract(attributes, '$."gen_ai.tool.name"'), json_extract(attributes, '$."tool.name"'),
                    json_extract(attributes, '$."ai.toolCall.name"'), json_extract(attributes, '$."traceloop.entity.name"'), name) AS tool, status, duration_ms
         FROM spans WHERE kind = 'tool' AND ${inRange}),
       ranked AS (
         SELECT *, row_number() OVER (PARTITION BY tool ORDER BY duration_ms NULLS LAST) AS n,
                count(duration_ms) OVER (PARTITION BY tool) AS timed FROM calls)
       SELECT tool, count(*) AS calls, sum(status = 'error') AS errors,
              ${percentile(0.5)} AS p50_ms, ${percentile(0.95)} AS p95_ms
       FROM ranked GROUP BY tool ORDER BY calls DESC`,
    )
    .all(range) as Stats["byTool"];
  return { series, byModel, byTool };
}

/** Nearest-rank percentile over rows numbered by duration, NULL durations last and skipped. */
function percentile(p: number): string {
  return `max(CASE WHEN duration_ms IS NOT NULL AND n = max(1, CAST(${p} * timed + 0.999999 AS INTEGER)) THEN duration_ms END)`;
}
