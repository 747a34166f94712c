import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./errors.js";

export interface TokenAuthOptions {
  token: string;
  /** Paths that may also carry the token as `?token=` (EventSource cannot set headers). */
  queryTokenPaths?: readonly string[];
}

/** Requires `Authorization: Bearer <token>`; compares in constant time. */
export function tokenAuth({ token, queryTokenPaths = [] }: TokenAuthOptions): MiddlewareHandler {
  if (!token) throw new Error("tokenAuth: token must not be empty");
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    let given = match?.[1]?.trim();
    if (!given && queryTokenPaths.includes(c.req.path)) given = c.req.query("token");
    if (!given || !timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, given ? "wrong token" : "missing token: send Authorization: Bearer <token>", {
        "www-authenticate": 'Bearer realm="flightrec"',
      });
    }
    await next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
