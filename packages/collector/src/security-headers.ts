import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * Security headers on every answer, the dashboard's and the API's. The dashboard is Vite's build:
 * scripts and styles are files of its own origin, so nothing inline needs allowing (React sets
 * style properties through the DOM, which CSP does not govern). No page may frame it.
 * Strict-Transport-Security is left out: the collector speaks plain HTTP, and a TLS proxy in
 * front of it decides its own policy.
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    strictTransportSecurity: false,
  });
}
