import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from "node:http";

/** Why an export request did not succeed. `code`: the HTTP status, or Node's network error code. */
export class ExportRequestError extends Error {
  constructor(
    message: string,
    readonly code: number | string | undefined,
  ) {
    super(message);
    this.name = "ExportRequestError";
  }
}

/**
 * What one POST came to. `overloaded`: the collector asked to come back later (429, 502–504),
 * the only answer worth waiting for. A refused, reset or timed-out connection and every other
 * status are `failed`: an answer too, so nobody waits on it.
 */
export type PostOutcome =
  | { kind: "ok" }
  | { kind: "overloaded"; retryAfterMs: number | undefined; error: ExportRequestError }
  | { kind: "failed"; error: ExportRequestError };

/** Bytes of a response body read at most; ours are tiny (`{}` or a partial-success object). */
const MAX_RESPONSE_BYTES = 64 * 1024;
const OVERLOADED = new Set([429, 502, 503, 504]);
/** The server closed an idle keep-alive connection as we reused it: no answer yet, try a new one. */
const STALE_SOCKET = new Set(["ECONNRESET", "EPIPE"]);

type RequestFn = (
  url: URL,
  options: RequestOptions,
  callback: (res: IncomingMessage) => void,
) => ClientRequest;

interface Connection {
  agent: Agent;
  request: RequestFn;
}

/**
 * POSTs request bodies to one URL over a small pool of keep-alive connections. Node's agent
 * unrefs idle sockets, so an open pool never keeps the process alive. `node:https` is loaded
 * only for an https URL.
 */
export class HttpPoster {
  private readonly url: URL;
  private connection: Promise<Connection> | undefined;
  private closed = false;

  constructor(
    url: string,
    private readonly headers: Record<string, string>,
    private readonly maxSockets: number,
  ) {
    this.url = new URL(url);
  }

  async post(body: Uint8Array, timeoutMs: number): Promise<PostOutcome> {
    if (this.closed) return failed(new ExportRequestError("the exporter is shut down", undefined));
    this.connection ??= this.connect();
    const connection = await this.connection;
    const first = await this.attempt(connection, body, timeoutMs);
    return first.stale ? (await this.attempt(connection, body, timeoutMs)).outcome : first.outcome;
  }

  /** Aborts requests in flight and closes the pool. */
  close(): void {
    this.closed = true;
    void this.connection?.then(({ agent }) => agent.destroy());
  }

  private async connect(): Promise<Connection> {
    const module = this.url.protocol === "https:" ? await import("node:https") : await import("node:http");
    return {
      agent: new module.Agent({ keepAlive: true, maxSockets: this.maxSockets }),
      request: module.request as RequestFn,
    };
  }

  private attempt(
    { agent, request }: Connection,
    body: Uint8Array,
    timeoutMs: number,
  ): Promise<{ outcome: PostOutcome; stale?: boolean }> {
    return new Promise((resolve) => {
      const headers = { ...this.headers, "content-length": String(body.byteLength) };
      const req = request(this.url, { method: "POST", agent, headers }, (res) =>
        readResponse(res, (outcome) => resolve({ outcome })),
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(new ExportRequestError(`no answer within ${timeoutMs} ms`, "ETIMEDOUT")),
      );
      req.on("error", (error: Error & { code?: number | string }) => {
        const code = error.code;
        const stale = req.reusedSocket && typeof code === "string" && STALE_SOCKET.has(code);
        resolve({ outcome: failed(new ExportRequestError(error.message, code)), stale });
      });
      req.end(body);
    });
  }
}

function readResponse(res: IncomingMessage, done: (outcome: PostOutcome) => void): void {
  let size = 0;
  res.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) res.destroy();
  });
  res.on("error", () => done(classify(res)));
  res.on("end", () => done(classify(res)));
  res.on("close", () => done(classify(res)));
}

function classify(res: IncomingMessage): PostOutcome {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return { kind: "ok" };
  const error = new ExportRequestError(
    `the collector answered ${status} ${res.statusMessage ?? ""}`.trim(),
    status,
  );
  if (OVERLOADED.has(status)) {
    return { kind: "overloaded", retryAfterMs: retryAfterMs(res.headers["retry-after"]), error };
  }
  return failed(error);
}

/** `Retry-After` as seconds or an HTTP date, in ms from now. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function failed(error: ExportRequestError): PostOutcome {
  return { kind: "failed", error };
}
