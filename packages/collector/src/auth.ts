import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { HttpError } from "./errors.js";
import { isLoopbackAddress } from "./loopback.js";

export interface TokenAuthOptions {
  token: string;
  /** Paths that may also carry the token as `?token=` (EventSource cannot set headers). */
  queryTokenPaths?: readonly string[];
}

type TokenCheck = (c: Context) => "ok" | "missing" | "wrong";

/** Compares the request's bearer token (or `?token=` on the given paths) in constant time. */
function tokenCheck({ token, queryTokenPaths = [] }: TokenAuthOptions): TokenCheck {
  if (!token) throw new Error("tokenAuth: token must not be empty");
  const expected = digest(token);
  return (c) => {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
    let given = match?.[1]?.trim();
    if (!given && queryTokenPaths.includes(c.req.path)) given = c.req.query("token");
    if (!given) return "missing";
    return timingSafeEqual(digest(given), expected) ? "ok" : "wrong";
  };
}

/** Requires `Authorization: Bearer <token>`: 401 without it or with another. */
export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler {
  const check = tokenCheck(options);
  return async (c, next) => {
    const result = check(c);
    if (result !== "ok") {
      const message =
        result === "wrong" ? "wrong token" : "missing token: send Authorization: Bearer <token>";
      throw new HttpError(401, message, { "www-authenticate": 'Bearer realm="flightrec"' });
    }
    await next();
  };
}

/**
 * For a route whose status code is public (a liveness probe) but whose body is not: without the
 * token the answer keeps its status and `status` field, and nothing else.
 */
export function detailsNeedToken(options: TokenAuthOptions): MiddlewareHandler {
  const check = tokenCheck(options);
  return async (c, next) => {
    await next();
    if (check(c) === "ok" || !c.res.headers.get("content-type")?.includes("json")) return;
    const { status } = (await c.res.json()) as { status?: unknown };
    c.res = c.json({ status }, c.res.status as 200);
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * On loopback the collector answers only to loopback names in the Host header. A web page can
 * reach it through DNS rebinding (its own name made to resolve to 127.0.0.1), and the browser
 * then sends that name as Host; answering only to loopback names closes that door, token or
 * not. A request with no Host at all cannot come from a browser.
 */
export function loopbackHostOnly(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header("host");
    if (host !== undefined && !isLoopbackHost(host)) {
      throw new HttpError(
        403,
        `Host "${host}" is not a loopback name; listening on loopback, the collector answers only to localhost, 127.0.0.1 or [::1]`,
      );
    }
    await next();
  };
}

/** A Host header naming this machine: localhost (RFC 6761, subdomains too) or a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const name = (host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d*$/, ""))
    .toLowerCase()
    .replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackAddress(name);
}
