import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { parseParams, sqlBody } from "../api/params.js";
import { HttpError } from "../errors.js";
import type { SqlConsole } from "../sql/sql-console.js";

/**
 * Largest body of `POST /api/sql`: the longest SQL allowed (100,000 characters) even if every
 * character came \u-escaped. A larger body is refused before it is read, let alone parsed.
 */
export const MAX_SQL_BODY_BYTES = 1024 * 1024;

/** `POST /api/sql {"sql": "SELECT …"}`: read-only, time- and row-limited. */
export function sqlRoute({ sql }: { sql: SqlConsole }): Hono {
  const app = new Hono();
  app.post(
    "/api/sql",
    jsonOnly(),
    bodyLimit({
      maxSize: MAX_SQL_BODY_BYTES,
      onError: () => {
        // The rest of the body is never read: the connection cannot carry another request.
        throw new HttpError(
          413,
          `the request body is larger than the ${MAX_SQL_BODY_BYTES / 1024 / 1024} MiB limit`,
          {
            connection: "close",
          },
        );
      },
    }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new HttpError(400, 'send a JSON body: {"sql": "SELECT …"}');
      }
      const { sql: text } = parseParams(sqlBody, body, "body field");
      // A client that disconnects aborts its request: its query is dropped or stopped.
      return c.json(await sql.run(text, { signal: c.req.raw.signal }));
    },
  );
  return app;
}

/**
 * JSON bodies only. A page on another origin can post text/plain or a form without asking
 * first; a JSON content type needs a CORS preflight, which this collector never grants.
 */
export function jsonOnly(): MiddlewareHandler {
  return async (c, next) => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new HttpError(
        415,
        `send the query as JSON with Content-Type: application/json${type ? `, not ${type}` : ""}`,
      );
    }
    await next();
  };
}
