import type pg from "pg";
import { cursorInteger, decodeCursor, encodeCursor } from "../cursor.js";
import { fingerprintGroups, type RecentFailure } from "../failure-groups.js";
import { LOG_COLUMNS, OUTLINE_COLUMNS, RUN_COLUMNS, RUN_SPANS_ORDER, SPAN_COLUMNS } from "../row-columns.js";
import { parentsFirst, type TimedSpanRow } from "../span-order.js";
import type {
  DecisionRow,
  FailureListPage,
  FailureListQuery,
  FailureRow,
  LogListPage,
  LogListQuery,
  LogRow,
  RunDetail,
  RunOutline,
  RunRow,
  SchemaTable,
  SpanOutline,
  SpanRow,
  Stats,
  StatsQuery,
} from "../store.js";
import { jsonIsOne } from "./json-sql.js";
import { namedSql } from "./named-sql.js";

/** Log lines a run's detail carries at most; /api/logs pages through all of them. */
const RUN_DETAIL_LOGS = 5_000;
/** Internal tables the SQL editor does not offer (flightrec_sql_reader: the console's own login, which it cannot read). */
const HIDDEN_TABLES = new Set(["traces", "flightrec_migrations", "flightrec_sql_reader"]);

/** Only steps are replayed; testing the flag on them alone keeps the outline from reading every span's JSON. */
const REPLAYED = `(kind = 'step' AND ${jsonIsOne("attributes", "flightrec.step.replayed")})`;

/** A run and its rows; the caller reads it in one snapshot. */
export function getRun(client: pg.ClientBase, runId: string): Promise<RunDetail | null> {
  return runWith(client, runId, async () =>
    parentsFirst(
      (
        await client.query<TimedSpanRow>(
          `SELECT ${SPAN_COLUMNS}, start_ns::text AS _start FROM spans WHERE run_id = $1 ${RUN_SPANS_ORDER}`,
          [runId],
        )
      ).rows,
    ),
  );
}

/** As getRun, the spans without input, output and attributes. */
export function getRunOutline(client: pg.ClientBase, runId: string): Promise<RunOutline | null> {
  return runWith(client, runId, async () =>
    parentsFirst(
      (
        await client.query<TimedSpanRow<SpanOutline>>(
          `SELECT ${OUTLINE_COLUMNS}, ${REPLAYED} AS replayed, start_ns::text AS _start
           FROM spans WHERE run_id = $1 ${RUN_SPANS_ORDER}`,
          [runId],
        )
      ).rows,
    ),
  );
}

/** One span of a run, whole (store/sqlite/store-reader.ts). */
export async function getSpan(client: pg.ClientBase, runId: string, spanId: string): Promise<SpanRow | null> {
  const { rows } = await client.query<SpanRow>(
    `SELECT ${SPAN_COLUMNS} FROM spans WHERE run_id = $1 AND span_id = $2 ORDER BY start_ns DESC LIMIT 1`,
    [runId, spanId],
  );
  return rows[0] ?? null;
}

async function runWith<S>(
  client: pg.ClientBase,
  runId: string,
  spans: () => Promise<S[]>,
): Promise<(Omit<RunDetail, "spans"> & { spans: S[] }) | null> {
  const run = (await client.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = $1`, [runId]))
    .rows[0];
  if (!run) return null;
  const spanRows = await spans();
  const decisions = await client.query<DecisionRow>(
    `SELECT run_id, attempt, step, action, reasoning, input_tokens, output_tokens, cost_usd, details, ts, trace_id,
            span_id
     FROM decisions WHERE run_id = $1 ORDER BY ts_ns, seq`,
    [runId],
  );
  const failures = await client.query<FailureRow>(
    `SELECT run_id, attempt, trace_id, span_id, step, kind, name, error_type, message, stack, input, context, ts
     FROM failures WHERE run_id = $1 ORDER BY ts_ns`,
    [runId],
  );
  const logs = await client.query<LogRow>(
    `SELECT ${LOG_COLUMNS} FROM logs WHERE run_id = $1 AND conversation_part IS NULL ORDER BY ts_ns, seq
     LIMIT ${RUN_DETAIL_LOGS}`,
    [runId],
  );
  return { run, spans: spanRows, decisions: decisions.rows, failures: failures.rows, logs: logs.rows };
}

export async function getRuns(client: pg.ClientBase, runIds: readonly string[]): Promise<RunRow[]> {
  if (runIds.length === 0) return [];
  const { rows } = await client.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ANY($1::text[])`,
    [[...runIds]],
  );
  return rows;
}

/** Log records oldest first (store/sqlite/log-list.ts); keyset pages on (time, seq). */
export async function listLogs(client: pg.ClientBase, query: LogListQuery): Promise<LogListPage> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.runId !== undefined) {
    where.push("run_id = @runId::text");
    params.runId = query.runId;
  }
  if (query.traceId !== undefined) {
    where.push("trace_id = @traceId::text");
    params.traceId = query.traceId.toLowerCase();
  }
  if (query.spanId !== undefined) {
    where.push("span_id = @spanId::text");
    params.spanId = query.spanId.toLowerCase();
  }
  if (query.requestId !== undefined) {
    where.push(
      "(request_id = @requestId::text OR run_id IN (SELECT run_id FROM runs WHERE request_id = @requestId::text))",
    );
    params.requestId = query.requestId;
  }
  if (query.cursor !== undefined) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push("(ts_ns > @cts::bigint OR (ts_ns = @cts::bigint AND seq > @cid::bigint))");
    params.cts = cursorInteger(ts);
    params.cid = cursorInteger(id);
  }
  const sql = namedSql(
    `SELECT ${LOG_COLUMNS}, ts_ns::text AS _ts, seq::text AS _id FROM logs
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ts_ns, seq LIMIT @limit::int`,
  );
  const { rows } = await client.query<LogRow & { _ts: string; _id: string }>(sql.text, sql.values(params));
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return {
    logs: rows.map(({ _ts, _id, ...row }) => row),
    nextCursor: more && last ? encodeCursor(last._ts, last._id) : null,
  };
}

/** A failure with a failed child span in the same run and attempt is that child's echo (decision 0019). */
const INNERMOST = `NOT EXISTS (
  SELECT 1 FROM failures g JOIN spans c ON c.span_key = g.span_key
  WHERE g.run_id IS NOT DISTINCT FROM f.run_id AND g.attempt = f.attempt AND g.span_key <> f.span_key
    AND c.trace_id = f.trace_id AND c.parent_span_id = f.span_id)`;
const FINGERPRINT_WINDOW = 10_000;

/** Innermost failures newest first, grouped (store/sqlite/failure-list.ts). */
export async function listFailures(client: pg.ClientBase, query: FailureListQuery): Promise<FailureListPage> {
  const where: string[] = [INNERMOST];
  const params: Record<string, unknown> = {};
  if (query.errorType !== undefined) {
    where.push("f.error_type = @errorType::text");
    params.errorType = query.errorType;
  }
  if (query.name !== undefined) {
    where.push("f.name = @name::text");
    params.name = query.name;
  }
  const filter = `WHERE ${where.join(" AND ")}`;
  const pageWhere = [...where];
  const pageParams: Record<string, unknown> = { ...params, limit: query.limit + 1 };
  if (query.cursor !== undefined) {
    const [ts, key] = decodeCursor(query.cursor);
    pageWhere.push("(f.ts_ns < @cts::bigint OR (f.ts_ns = @cts::bigint AND f.span_key < @ckey::bigint))");
    pageParams.cts = cursorInteger(ts);
    pageParams.ckey = cursorInteger(key);
  }
  const page = namedSql(
    `SELECT f.run_id, f.attempt, f.trace_id, f.span_id, f.step, f.kind, f.name, f.error_type, f.message, f.stack,
            f.input, f.context, f.ts, r.name AS run_name, f.ts_ns::text AS _ts, f.span_key::text AS _key
     FROM failures f LEFT JOIN runs r ON r.run_id = f.run_id
     WHERE ${pageWhere.join(" AND ")}
     ORDER BY f.ts_ns DESC, f.span_key DESC LIMIT @limit::int`,
  );
  const { rows } = await client.query<FailureListPage["failures"][number] & { _ts: string; _key: string }>(
    page.text,
    page.values(pageParams),
  );
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  const nextCursor = more && last ? encodeCursor(last._ts, last._key) : null;
  const failures = rows.map(({ _ts, _key, ...row }) => row);
  const grouped = async <T extends pg.QueryResultRow>(sql: string) => {
    const statement = namedSql(sql);
    return (await client.query<T>(statement.text, statement.values(params))).rows;
  };
  const byErrorType = await grouped<FailureListPage["groups"]["byErrorType"][number]>(
    `SELECT f.error_type, count(*) AS count, max(f.ts) AS last_ts FROM failures f ${filter}
     GROUP BY f.error_type ORDER BY count DESC, last_ts DESC LIMIT 100`,
  );
  const byName = await grouped<FailureListPage["groups"]["byName"][number]>(
    `SELECT f.kind, f.name, count(*) AS count, max(f.ts) AS last_ts FROM failures f ${filter}
     GROUP BY f.kind, f.name ORDER BY count DESC, last_ts DESC LIMIT 100`,
  );
  const recent = await grouped<RecentFailure>(
    `SELECT f.run_id, f.span_id, f.kind, f.name, f.error_type, f.message, f.ts FROM failures f ${filter}
     ORDER BY f.ts_ns DESC LIMIT ${FINGERPRINT_WINDOW}`,
  );
  return { failures, nextCursor, groups: { byFingerprint: fingerprintGroups(recent), byErrorType, byName } };
}

const BUCKET_FORMAT = { hour: 'YYYY-MM-DD"T"HH24":00:00Z"', day: 'YYYY-MM-DD"T00:00:00Z"' } as const;

/** Nearest-rank p50 and p95 (the k-th smallest, k = ⌈p·n⌉), as the SQLite store's latency_percentiles. */
const PERCENTILES = `percentile_disc(0.5) WITHIN GROUP (ORDER BY spans.duration_ms) AS p50_ms,
  percentile_disc(0.95) WITHIN GROUP (ORDER BY spans.duration_ms) AS p95_ms`;

const callsOf = (kind: "llm" | "tool", columns: string) => `
  SELECT ${columns}, count(*) AS calls, ${PERCENTILES}
  FROM runs JOIN spans ON spans.run_id = runs.run_id AND spans.kind = '${kind}'
  WHERE runs.started_at >= $1 AND runs.started_at <= $2
  GROUP BY 1 ORDER BY calls DESC, 1`;

/** Usage over time, and latency percentiles by model and tool, for runs started in [from, to]. */
export async function stats(client: pg.ClientBase, query: StatsQuery): Promise<Stats> {
  const range = [query.from, query.to];
  const series = await client.query<Stats["series"][number]>(
    `SELECT to_char(started_at::timestamptz AT TIME ZONE 'UTC', '${BUCKET_FORMAT[query.bucket]}') AS bucket,
            count(*) AS runs, count(*) FILTER (WHERE status = 'error') AS errors,
            coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
            coalesce(sum(cost_usd), 0) AS cost_usd
     FROM runs WHERE started_at >= $1 AND started_at <= $2 GROUP BY bucket ORDER BY bucket`,
    range,
  );
  const byModel = await client.query<Stats["byModel"][number]>(
    callsOf(
      "llm",
      `coalesce(spans.model, '(unknown)') AS model, coalesce(sum(spans.input_tokens), 0) AS input_tokens,
       coalesce(sum(spans.output_tokens), 0) AS output_tokens, coalesce(sum(spans.cost_usd), 0) AS cost_usd`,
    ),
    range,
  );
  const byTool = await client.query<Stats["byTool"][number]>(
    callsOf("tool", "spans.tool, count(*) FILTER (WHERE spans.status = 'error') AS errors"),
    range,
  );
  return { series: series.rows, byModel: byModel.rows, byTool: byTool.rows };
}

/** Tables, then views, by name, with their columns in order; internal tables and partitions left out. */
export async function schema(client: pg.ClientBase): Promise<SchemaTable[]> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = c.table_schema::regnamespace
     WHERE c.table_schema = current_schema() AND NOT k.relispartition
     ORDER BY t.table_type <> 'BASE TABLE', c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, SchemaTable>();
  for (const row of rows) {
    if (HIDDEN_TABLES.has(row.table_name)) continue;
    let table = tables.get(row.table_name);
    if (!table) {
      table = { name: row.table_name, columns: [] };
      tables.set(row.table_name, table);
    }
    table.columns.push({ name: row.column_name, type: row.data_type });
  }
  return [...tables.values()];
}
