import type { FailureListPage, FailureListQuery } from "../store.js";
import { cursorInteger, decodeCursor, encodeCursor } from "./cursor.js";
import type { StatementCache } from "./statement-cache.js";

/** Failures newest first, with counts grouped by error type and by failing span. */
export function listFailures(statements: StatementCache, query: FailureListQuery): FailureListPage {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.errorType !== undefined) {
    where.push("f.error_type = @errorType");
    params.errorType = query.errorType;
  }
  if (query.name !== undefined) {
    where.push("f.name = @name");
    params.name = query.name;
  }
  const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const pageWhere = [...where];
  if (query.cursor !== undefined) {
    const [ts, key] = decodeCursor(query.cursor);
    pageWhere.push("(f.ts_ns < @cts OR (f.ts_ns = @cts AND f.span_key < @ckey))");
    params.cts = cursorInteger(ts);
    params.ckey = cursorInteger(key);
  }
  const rows = statements
    .get(
      `SELECT f.run_id, f.attempt, f.trace_id, f.span_id, f.step, f.kind, f.name, f.error_type, f.message, f.stack,
              f.input, f.context, f.ts, r.name AS run_name, CAST(f.ts_ns AS TEXT) AS _ts, CAST(f.span_key AS TEXT) AS _key
       FROM failures f LEFT JOIN runs r ON r.run_id = f.run_id
       ${pageWhere.length ? `WHERE ${pageWhere.join(" AND ")}` : ""}
       ORDER BY f.ts_ns DESC, f.span_key DESC LIMIT @limit`,
    )
    .all({ ...params, limit: query.limit + 1 }) as (FailureListPage["failures"][number] & {
    _ts: string;
    _key: string;
  })[];
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  const nextCursor = more && last ? encodeCursor(last._ts, last._key) : null;
  const failures = rows.map(({ _ts, _key, ...row }) => row);
  const groupParams = { errorType: params.errorType, name: params.name };
  const used = (p: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
  const byErrorType = statements
    .get(
      `SELECT f.error_type, count(*) AS count, max(f.ts) AS last_ts FROM failures f ${filter}
       GROUP BY f.error_type ORDER BY count DESC, last_ts DESC LIMIT 100`,
    )
    .all(used(groupParams)) as FailureListPage["groups"]["byErrorType"];
  const byName = statements
    .get(
      `SELECT f.kind, f.name, count(*) AS count, max(f.ts) AS last_ts FROM failures f ${filter}
       GROUP BY f.kind, f.name ORDER BY count DESC, last_ts DESC LIMIT 100`,
    )
    .all(used(groupParams)) as FailureListPage["groups"]["byName"];
  return { failures, nextCursor, groups: { byErrorType, byName } };
}
