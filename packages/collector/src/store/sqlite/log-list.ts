import { cursorInteger, decodeCursor, encodeCursor } from "../cursor.js";
import { LOG_COLUMNS } from "../row-columns.js";
import type { LogListPage, LogListQuery, LogRow } from "../store.js";
import type { StatementCache } from "./statement-cache.js";

/**
 * Log records oldest first, filtered by run, trace, span and request ID (a request's logs are
 * those naming it and those of its runs). Keyset pages on (time, rowid).
 */
export function listLogs(statements: StatementCache, query: LogListQuery): LogListPage {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.runId !== undefined) {
    where.push("run_id = @runId");
    params.runId = query.runId;
  }
  if (query.traceId !== undefined) {
    where.push("trace_id = @traceId");
    params.traceId = query.traceId.toLowerCase();
  }
  if (query.spanId !== undefined) {
    where.push("span_id = @spanId");
    params.spanId = query.spanId.toLowerCase();
  }
  if (query.requestId !== undefined) {
    where.push(
      "(request_id = @requestId OR run_id IN (SELECT run_id FROM runs WHERE request_id = @requestId))",
    );
    params.requestId = query.requestId;
  }
  if (query.cursor !== undefined) {
    const [ts, id] = decodeCursor(query.cursor);
    where.push("(ts_ns > @cts OR (ts_ns = @cts AND rowid > @cid))");
    params.cts = cursorInteger(ts);
    params.cid = cursorInteger(id);
  }
  const rows = statements
    .get(
      `SELECT ${LOG_COLUMNS}, CAST(ts_ns AS TEXT) AS _ts, CAST(rowid AS TEXT) AS _id FROM logs
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ts_ns, rowid LIMIT @limit`,
    )
    .all(params) as (LogRow & { _ts: string; _id: string })[];
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return {
    logs: rows.map(({ _ts, _id, ...row }) => row),
    nextCursor: more && last ? encodeCursor(last._ts, last._id) : null,
  };
}
