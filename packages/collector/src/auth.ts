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

/**
 * Without a token the collector listens on loopback only, but a web page can still reach it
 * through DNS rebinding (its own name made to resolve to 127.0.0.1); the browser then sends that
 * name as Host. Answering only to loopback names closes that door. A request with no Host at all
 * cannot come from a browser.
 */
export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host");
    if (host !== undefined && !isLoopbackHost(host)) {
      throw new HttpError(
        403,
        `Host "${host}" is not a loopback name; without --token the collector answers only to localhost, 127.0.0.1 or [::1]`,
      );
    }
    await next();
  };
}

export function isLoopbackHost(host: string): boolean {
  const name = (host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d*$/, ""))
    .toLowerCase()
    .replace(/\.$/, "");
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
  );
}
