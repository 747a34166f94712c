import { decodeCursor, encodeCursor } from "../cursor.js";
import { RUN_COLUMNS } from "../row-columns.js";
import type { RunListPage, RunListQuery, RunRow } from "../store.js";
import type { StatementCache } from "./statement-cache.js";

/**
 * The run list: filters, then keyset pagination on (sort column, run_id). NULLs sort as
 * SQLite sorts them (first ascending, last descending) so every sort can walk its index.
 */
export function listRuns(statements: StatementCache, query: RunListQuery): RunListPage {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.status?.length) {
    where.push(`status IN (${query.status.map((_, i) => `@status${i}`).join(", ")})`);
    query.status.forEach((s, i) => {
      params[`status${i}`] = s;
    });
  }
  if (query.name !== undefined) {
    where.push("name = @name");
    params.name = query.name;
  }
  if (query.model !== undefined) {
    where.push("EXISTS (SELECT 1 FROM spans s WHERE s.model = @model AND s.run_id = runs.run_id)");
    params.model = query.model;
  }
  if (query.from !== undefined) {
    where.push("started_at >= @from");
    params.from = query.from;
  }
  if (query.to !== undefined) {
    where.push("started_at <= @to");
    params.to = query.to;
  }
  if (query.minCost !== undefined) {
    where.push("cost_usd >= @minCost");
    params.minCost = query.minCost;
  }
  if (query.q !== undefined && query.q !== "") {
    where.push(
      "(run_id LIKE @q ESCAPE '\\' OR request_id LIKE @q ESCAPE '\\' OR name LIKE @q ESCAPE '\\' OR error LIKE @q ESCAPE '\\')",
    );
    params.q = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const col = query.sort;
  const desc = query.order === "desc";
  if (query.cursor !== undefined) {
    const [value, id] = decodeCursor(query.cursor);
    params.cv = value;
    params.cid = id;
    where.push(keysetCondition(col, desc, value === null));
  }
  const dir = desc ? "DESC" : "ASC";
  const sql = `SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${col} ${dir}, run_id ${dir} LIMIT @limit`;
  const rows = statements.get(sql).all(params) as RunRow[];
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { runs: rows, nextCursor: more && last ? encodeCursor(last[col], last.run_id) : null };
}

function keysetCondition(col: string, desc: boolean, cursorIsNull: boolean): string {
  if (desc) {
    return cursorIsNull
      ? `(${col} IS NULL AND run_id < @cid)`
      : `(${col} < @cv OR (${col} = @cv AND run_id < @cid) OR ${col} IS NULL)`;
  }
  return cursorIsNull
    ? `((${col} IS NULL AND run_id > @cid) OR ${col} IS NOT NULL)`
    : `(${col} > @cv OR (${col} = @cv AND run_id > @cid))`;
}
