export const DEFAULT_ENDPOINT = "http://127.0.0.1:4318";

/** Where spans go: FLIGHTREC_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT, else the local collector. */
export function resolveEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const base = explicit ?? env.FLIGHTREC_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_ENDPOINT;
  return base.replace(/\/+$/, "");
}

export function tracesUrl(endpoint: string): string {
  return endpoint.endsWith("/v1/traces") ? endpoint : `${endpoint}/v1/traces`;
}
