import type Database from "better-sqlite3";
import type { Stats, StatsQuery } from "../store.js";
import type { StatementCache } from "./statement-cache.js";

const BUCKET_FORMAT = { hour: "%Y-%m-%dT%H:00:00Z", day: "%Y-%m-%dT00:00:00Z" } as const;

/**
 * Spans of one kind of the runs started in [from, to], found run by run through the partial
 * indexes of migration 3 (`spans_llm_by_run`, `spans_tool_by_run`), which hold all that stats
 * read. A join walks them; `run_id IN (subquery)` built a list first and read every span of a run
 * to test its kind. INDEXED BY, because without ANALYZE statistics SQLite may pick `spans_by_run`
 * and read every span row.
 */
const callsOf = (kind: "llm" | "tool", columns: string) => `
  SELECT ${columns}, count(*) AS calls, latency_percentiles(spans.duration_ms) AS percentiles
  FROM runs JOIN spans INDEXED BY spans_${kind}_by_run ON spans.run_id = runs.run_id AND spans.kind = '${kind}'
  WHERE runs.started_at >= @from AND runs.started_at <= @to
  GROUP BY 1 ORDER BY calls DESC, 1`;

/** The three statements of stats: the series, calls by model, calls by tool. */
export function statsStatements(bucket: StatsQuery["bucket"]): [string, string, string] {
  return [
    `SELECT strftime('${BUCKET_FORMAT[bucket]}', started_at) AS bucket, count(*) AS runs,
            sum(status = 'error') AS errors, coalesce(sum(input_tokens), 0) AS input_tokens,
            coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cost_usd), 0) AS cost_usd
     FROM runs WHERE started_at >= @from AND started_at <= @to GROUP BY bucket ORDER BY bucket`,
    callsOf(
      "llm",
      `coalesce(spans.model, '(unknown)') AS model, coalesce(sum(spans.input_tokens), 0) AS input_tokens,
       coalesce(sum(spans.output_tokens), 0) AS output_tokens, coalesce(sum(spans.cost_usd), 0) AS cost_usd`,
    ),
    callsOf("tool", "spans.tool, sum(spans.status = 'error') AS errors"),
  ];
}

/** Usage over time, and latency percentiles by model and tool, for runs started in [from, to]. */
export function stats(statements: StatementCache, query: StatsQuery): Stats {
  const range = { from: query.from, to: query.to };
  const [series, byModel, byTool] = statsStatements(query.bucket).map((sql) =>
    statements.get(sql).all(range),
  );
  return {
    series: series as Stats["series"],
    byModel: (byModel as WithPercentiles<Stats["byModel"][number]>[]).map(splitPercentiles),
    byTool: (byTool as WithPercentiles<Stats["byTool"][number]>[]).map(splitPercentiles),
  };
}

type WithPercentiles<T> = Omit<T, "p50_ms" | "p95_ms"> & { percentiles: string | null };

function splitPercentiles<T>({ percentiles, ...row }: WithPercentiles<T>) {
  const [p50_ms, p95_ms] = percentiles ? (JSON.parse(percentiles) as [number, number]) : [null, null];
  return { ...row, p50_ms, p95_ms } as T;
}

/**
 * Registers `latency_percentiles(ms)`, an aggregate answering the nearest-rank p50 and p95 of its
 * non-NULL values as JSON `[p50, p95]` (NULL when there are none): the k-th smallest value,
 * k = ⌈p·n⌉, as PostgreSQL's percentile_disc answers. One pass; numbering rows in a window sorted
 * them in SQLite's sorter several times slower, and SQLite's own percentile_disc ranks ⌊p·(n−1)⌋.
 */
export function registerStatsFunctions(db: Database.Database): void {
  db.aggregate("latency_percentiles", {
    start: () => [] as number[],
    step: (values: number[], value: unknown) => {
      if (typeof value === "number") values.push(value);
      else if (typeof value === "bigint") values.push(Number(value));
    },
    result: (values: number[]) => {
      if (values.length === 0) return null;
      const sorted = Float64Array.from(values).sort();
      const rank = (p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length - 1e-9)) - 1];
      return JSON.stringify([rank(0.5), rank(0.95)]);
    },
  });
}
