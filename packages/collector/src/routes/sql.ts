import { Hono } from "hono";
import { parseParams, sqlBody } from "../api/params.js";
import { HttpError } from "../errors.js";
import { QueryRejectedError } from "../sql/read-only-query.js";
import { SqlBusyError, type SqlRunner } from "../sql/sql-runner.js";

/** `POST /api/sql {"sql": "SELECT …"}`: read-only, time- and row-limited. */
export function sqlRoute({ sql }: { sql: SqlRunner }): Hono {
  const app = new Hono();
  app.post("/api/sql", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'send a JSON body: {"sql": "SELECT …"}');
    }
    const { sql: text } = parseParams(sqlBody, body, "body field");
    try {
      return c.json(await sql.run(text));
    } catch (error) {
      if (error instanceof QueryRejectedError) throw new HttpError(400, error.message);
      if (error instanceof SqlBusyError) throw new HttpError(429, error.message, { "retry-after": "1" });
      throw error;
    }
  });
  return app;
}
