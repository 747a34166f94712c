import type { SpanRecord } from "../domain.js";

/** The run a trace's spans claim, and the attempt when a span of ours named it. */
export interface Claim {
  runId: string;
  attempt: number | null;
}

/** Per trace of the batch: the run it claims (see entriesOf), or null. */
export function claimsOf(spans: readonly SpanRecord[]): Map<string, Claim | null> {
  const claims = new Map<string, Claim | null>();
  const named = new Map<string, Claim>();
  for (const span of spans) {
    if (span.runId !== null) {
      const known = named.get(span.traceId);
      if (!known)
        named.set(span.traceId, { runId: span.runId, attempt: span.kind === "run" ? span.attempt : null });
      else if (known.attempt === null && span.kind === "run" && span.runId === known.runId) {
        known.attempt = span.attempt;
      }
    } else if (span.kind !== "other") claims.set(span.traceId, { runId: span.traceId, attempt: null });
    else if (!claims.has(span.traceId)) claims.set(span.traceId, null);
  }
  for (const [traceId, claim] of named) claims.set(traceId, claim);
  return claims;
}
