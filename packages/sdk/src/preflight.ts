import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { SpanKind } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
import { resolveEndpoint } from "./config.js";
import { ATTR_PREFLIGHT_MISSING, ATTR_SPAN_KIND } from "./conventions.js";
import { getTracer } from "./tracer.js";
import { recordError } from "./with-span.js";

export interface PreflightOptions {
  /** Environment variables that must be set and non-empty. */
  env?: string[];
  /** Executables that must be on PATH. */
  binaries?: string[];
  /** Check the collector answers `/health`: true for the configured endpoint, or a URL. */
  collector?: boolean | string;
  /** How long to wait for the collector, in ms. */
  timeoutMs?: number;
}

export class PreflightError extends Error {
  override readonly name = "PreflightError";
  constructor(readonly missing: string[]) {
    super(`preflight failed, ${missing.length} problem(s):\n${missing.map((m) => `  - ${m}`).join("\n")}`);
  }
}

/**
 * Checks what the agent needs before it starts and throws one PreflightError listing
 * every problem, not just the first. The outcome is recorded as a span.
 */
export async function preflight(options: PreflightOptions): Promise<void> {
  const span = getTracer().startSpan("preflight", {
    kind: SpanKind.INTERNAL,
    startTime: preciseNow(),
    attributes: { [ATTR_SPAN_KIND]: "other" },
  });
  const missing: string[] = [];
  for (const name of options.env ?? []) {
    if (!process.env[name]) missing.push(`environment variable ${name} is not set`);
  }
  for (const binary of options.binaries ?? []) {
    if (!onPath(binary)) missing.push(`executable "${binary}" is not on PATH`);
  }
  if (options.collector) {
    const base = typeof options.collector === "string" ? options.collector : resolveEndpoint(undefined);
    const problem = await checkCollector(
      base.replace(/\/v1\/traces\/?$/, "").replace(/\/+$/, ""),
      options.timeoutMs ?? 2_000,
    );
    if (problem) missing.push(problem);
  }
  span.setAttribute(ATTR_PREFLIGHT_MISSING, JSON.stringify(missing));
  if (missing.length === 0) {
    span.end(preciseNow());
    return;
  }
  const error = new PreflightError(missing);
  recordError(span, error);
  span.end(preciseNow());
  throw error;
}

function onPath(binary: string): boolean {
  const candidates = binary.includes("/")
    ? [binary]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function checkCollector(base: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? undefined : `collector at ${base} answered /health with HTTP ${response.status}`;
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : String((error as Error)?.cause ?? error);
    return `collector at ${base} is not reachable (${reason})`;
  }
}
