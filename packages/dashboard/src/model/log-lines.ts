import type { LogRow, SpanOutline } from "../api/schemas";
import { parseJsonText } from "./messages";

/** A run's log lines by the span that wrote them. */
export function logLinesBySpan(logs: readonly LogRow[]): Map<string, LogRow[]> {
  const bySpan = new Map<string, LogRow[]>();
  for (const line of logs) {
    if (line.span_id === null) continue;
    const list = bySpan.get(line.span_id);
    if (list) list.push(line);
    else bySpan.set(line.span_id, [line]);
  }
  return bySpan;
}

/** The lines of a frame: its span's and those of the plumbing folded into it, in time order. */
export function frameLogLines(
  bySpan: ReadonlyMap<string, readonly LogRow[]>,
  spanId: string,
  folded: readonly SpanOutline[],
): LogRow[] {
  const own = bySpan.get(spanId) ?? [];
  if (folded.length === 0) return [...own];
  const lines = [...own, ...folded.flatMap((s) => bySpan.get(s.span_id) ?? [])];
  return lines.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}

const SEVERITY_NAMES = ["trace", "debug", "info", "warn", "error", "fatal"];

/** The line's level as its logger named it, else from the OTLP severity number (1–24). */
export function logLevel(line: LogRow): string {
  if (line.severity_text) return line.severity_text.toLowerCase();
  const n = line.severity_number;
  return n !== null && n >= 1 && n <= 24 ? SEVERITY_NAMES[Math.floor((n - 1) / 4)]! : "log";
}

/** The message as text: a string body as it is, anything else as JSON. */
export function logMessage(line: LogRow): string {
  const body = parseJsonText(line.body);
  if (body === null) return "";
  return typeof body === "string" ? body : JSON.stringify(body);
}

/** The line's attributes, or null when it has none. */
export function logAttributes(line: LogRow): Record<string, unknown> | null {
  const parsed = parseJsonText(line.attributes);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  return Object.keys(parsed).length ? (parsed as Record<string, unknown>) : null;
}
