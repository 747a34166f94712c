import type { SpanOutline } from "../api/schemas";

/**
 * What the collector's verdict writes on the spans an interrupted attempt left open: status
 * `error` and an error text that starts with this (docs/decisions/0003-crash-survival.md).
 */
const INTERRUPTED = "interrupted: ";

/** A span's status as shown: `interrupted` for a span its attempt's death ended, else the stored status. */
export function spanStatus(span: Pick<SpanOutline, "status" | "error">): string {
  return span.status === "error" && span.error?.startsWith(INTERRUPTED) ? "interrupted" : span.status;
}
