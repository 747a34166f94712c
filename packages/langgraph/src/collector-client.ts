/** Why a checkpoint call failed: the collector did not acknowledge it within the bounded wait, or refused it. */
export class FlightrecCheckpointError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FlightrecCheckpointError";
  }
}

export interface CollectorClientOptions {
  /** The collector's base URL. */
  endpoint: string;
  token?: string;
  /** How long one call may take, retries included, before it fails. */
  timeoutMs: number;
}

/** Answers worth trying again within the wait: the collector is busy or shutting down for a restart. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 500;

/**
 * JSON over HTTP to the collector's graph checkpoint routes. Every call gets an answer within
 * `timeoutMs` or fails naming the URL: a refused connection or a busy collector is tried again
 * (a restarting collector loses no step), a refusal of the request itself (4xx) is not.
 */
export class CollectorClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: CollectorClientOptions) {
    this.base = options.endpoint.replace(/\/+$/, "");
    this.headers = {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
  }

  get endpoint(): string {
    return this.base;
  }

  /** The answer's JSON, or undefined for a 404 when `notFound` says that is an answer. */
  async call<T>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
    notFound = false,
  ): Promise<T | undefined> {
    const url = `${this.base}${path}`;
    const deadline = Date.now() + this.options.timeoutMs;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let delay = FIRST_RETRY_MS;
    let lastProblem = "";
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      try {
        const response = await fetch(url, {
          method,
          headers: this.headers,
          ...(payload === undefined ? {} : { body: payload }),
          signal: AbortSignal.timeout(left),
        });
        if (response.ok) return (await response.json()) as T;
        const text = await response.text();
        if (response.status === 404 && notFound) return undefined;
        lastProblem = `answered ${response.status}: ${errorOf(text)}`;
        if (!RETRY_STATUSES.has(response.status)) {
          throw new FlightrecCheckpointError(`${method} ${url} ${lastProblem}`);
        }
      } catch (error) {
        if (error instanceof FlightrecCheckpointError) throw error;
        lastProblem = describe(error);
      }
      const wait = Math.min(delay, deadline - Date.now());
      if (wait <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
    throw new FlightrecCheckpointError(
      `the Flightrec collector at ${this.base} did not acknowledge ${method} ${path} within ` +
        `${this.options.timeoutMs} ms (${lastProblem || "no answer"}); the checkpoint is not stored`,
    );
  }
}

function errorOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "no answer in time";
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}
