import { hostname } from "node:os";

/**
 * The line `serve` prints for people: the dashboard's address. A server listening on every
 * interface (0.0.0.0, ::) is reached by this machine's name, or 127.0.0.1 from the machine itself;
 * with a token, the browser needs it once in the address.
 */
export function dashboardLine(serverUrl: string, withToken: boolean, host = hostname()): string {
  const url = new URL(serverUrl);
  const wildcard = url.hostname === "0.0.0.0" || url.hostname === "[::]";
  const tokenHint = withToken ? "; open it once with ?token=<the token>" : "";
  if (!wildcard)
    return `Dashboard: ${url.origin}/${withToken ? ` (open it once with ?token=<the token>)` : ""}`;
  const local = `http://127.0.0.1:${url.port}/`;
  return `Dashboard: http://${host}:${url.port}/ (on this machine ${local}${tokenHint})`;
}
