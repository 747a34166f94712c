import { cursorInteger, decodeCursor, encodeCursor } from "../cursor.js";
import { fingerprintGroups, type RecentFailure } from "../failure-groups.js";
import type { FailureListPage, FailureListQuery } from "../store.js";
import type { StatementCache } from "./statement-cache.js";

/**
 * One error is recorded at every span it passed through (tool, step, run). Only the innermost
 * counts: a failure with a failed child span in the same run and attempt is that child's echo.
 * (A child that did not fail between them, e.g. a framework's plumbing, breaks the chain.)
 */
const INNERMOST = `NOT EXISTS (
  SELECT 1 FROM failures g JOIN spans c ON c.span_key = g.span_key
  WHERE g.run_id IS f.run_id AND g.attempt = f.attempt AND g.span_key <> f.span_key
    AND c.trace_id = f.trace_id AND c.parent_span_id = f.span_id)`;

/** Failures the fingerprint groups are computed from, newest first. */
const FINGERPRINT_WINDOW = 10_000;

/** Innermost failures newest first, grouped by fingerprint, error type and failing span. */
export function listFailures(statements: StatementCache, query: FailureListQuery): FailureListPage {
  const where: string[] = [INNERMOST];
  const params: Record<string, unknown> = {};
  if (query.errorType !== undefined) {
    where.push("f.error_type = @errorType");
    params.errorType = query.errorType;
  }
  if (query.name !== undefined) {
    where.push("f.name = @name");
    params.name = query.name;
  }
  const filter = `WHERE ${where.join(" AND ")}`;
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
       WHERE ${pageWhere.join(" AND ")}
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
  const recent = statements
    .get(
      `SELECT f.run_id, f.span_id, f.kind, f.name, f.error_type, f.message, f.ts FROM failures f ${filter}
       ORDER BY f.ts_ns DESC LIMIT ${FINGERPRINT_WINDOW}`,
    )
    .all(used(groupParams)) as RecentFailure[];
  return { failures, nextCursor, groups: { byFingerprint: fingerprintGroups(recent), byErrorType, byName } };
}
