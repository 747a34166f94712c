import type pg from "pg";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { RUN_COLUMNS } from "../row-columns.js";
import { InvalidCursorError, type RunListPage, type RunListQuery, type RunRow } from "../store.js";
import { namedSql } from "./named-sql.js";

/**
 * The run list (store/sqlite/run-list.ts): filters, then keyset pagination on (sort column,
 * run_id), NULLs first ascending and last descending as SQLite sorts them, so pages and their
 * order are the same on both stores (the indexes of `runs` are built NULLS FIRST to match).
 */
export async function listRuns(client: pg.ClientBase, query: RunListQuery): Promise<RunListPage> {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit + 1 };
  if (query.status?.length === 1) {
    // Equality, not ANY: the planner walks runs_by_status in order only for one value.
    where.push("status = @status::text");
    params.status = query.status[0];
  } else if (query.status?.length) {
    where.push("status = ANY(@status::text[])");
    params.status = query.status;
  }
  if (query.name !== undefined) {
    where.push("name = @name::text");
    params.name = query.name;
  }
  if (query.model !== undefined) {
    where.push("EXISTS (SELECT 1 FROM spans s WHERE s.model = @model::text AND s.run_id = runs.run_id)");
    params.model = query.model;
  }
  if (query.from !== undefined) {
    where.push("started_at >= @from::text");
    params.from = query.from;
  }
  if (query.to !== undefined) {
    where.push("started_at <= @to::text");
    params.to = query.to;
  }
  if (query.minCost !== undefined) {
    where.push("cost_usd >= @minCost::float8");
    params.minCost = query.minCost;
  }
  if (query.q !== undefined && query.q !== "") {
    // ILIKE: SQLite's LIKE ignores case (of ASCII letters).
    where.push(
      "(run_id ILIKE @q ESCAPE '\\' OR request_id ILIKE @q ESCAPE '\\' OR name ILIKE @q ESCAPE '\\' OR error ILIKE @q ESCAPE '\\')",
    );
    params.q = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  const col = query.sort;
  const desc = query.order === "desc";
  if (query.cursor !== undefined) {
    const [value, id] = decodeCursor(query.cursor);
    // SQLite compares any value with any column; here a text in a number's place is not a cursor we wrote.
    if (NUMERIC.has(col) && value !== null && typeof value !== "number") throw new InvalidCursorError();
    params.cv = value === null ? null : String(value);
    params.cid = id === null ? null : String(id);
    where.push(keysetCondition(col, desc, value === null));
  }
  const order = desc ? "DESC NULLS LAST" : "ASC NULLS FIRST";
  const sql = namedSql(`SELECT ${RUN_COLUMNS} FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${col} ${order}, run_id ${desc ? "DESC" : "ASC"} LIMIT @limit::int`);
  const { rows } = await client.query<RunRow>(sql.text, sql.values(params));
  const more = rows.length > query.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { runs: rows, nextCursor: more && last ? encodeCursor(last[col], last.run_id) : null };
}

const NUMERIC = new Set(["cost_usd", "duration_ms"]);

/** The cursor's value compared as the column's type: a client may send any JSON scalar. */
function keysetCondition(col: string, desc: boolean, cursorIsNull: boolean): string {
  const cv = NUMERIC.has(col) ? "@cv::text::float8" : "@cv::text";
  if (desc) {
    return cursorIsNull
      ? `(${col} IS NULL AND run_id < @cid::text)`
      : `(${col} < ${cv} OR (${col} = ${cv} AND run_id < @cid::text) OR ${col} IS NULL)`;
  }
  return cursorIsNull
    ? `((${col} IS NULL AND run_id > @cid::text) OR ${col} IS NOT NULL)`
    : `(${col} > ${cv} OR (${col} = ${cv} AND run_id > @cid::text))`;
}
