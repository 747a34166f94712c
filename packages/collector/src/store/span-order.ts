import type { SpanRow } from "./store.js";

/** What ordering needs of a span: its place in the tree. */
type SpanKey = Pick<SpanRow, "trace_id" | "span_id" | "parent_span_id">;

/** A span row (or outline) with its start time in nanoseconds as decimal text, to tell exact ties apart. */
export type TimedSpanRow<T extends SpanKey = SpanRow> = T & { _start: string };

/**
 * Takes a run's spans ordered by start time and orders each group that starts at the same
 * nanosecond by depth in the span tree, so a parent precedes its children. Clocks with coarse
 * resolution start a parent and its first child together, and the SQL order can only say
 * "roots first": it cannot see a parent two levels up.
 */
export function parentsFirst<T extends SpanKey>(rows: readonly TimedSpanRow<T>[]): T[] {
  const depthOf = spanDepths(rows);
  let groupStart = 0;
  const keyed = rows.map((row, index) => {
    if (index > 0 && row._start !== rows[index - 1]!._start) groupStart = index;
    return { row, index, groupStart, depth: depthOf(row) };
  });
  keyed.sort((a, b) => a.groupStart - b.groupStart || a.depth - b.depth || a.index - b.index);
  return keyed.map(({ row: { _start, ...span } }) => span as unknown as T);
}

/** Depth of each span below the run's spans that have no parent in the run; memoized, cycle-safe. */
function spanDepths(rows: readonly SpanKey[]): (row: SpanKey) => number {
  const key = (traceId: string, spanId: string) => `${traceId}/${spanId}`;
  const parentOf = new Map<string, string | null>();
  for (const row of rows)
    parentOf.set(key(row.trace_id, row.span_id), row.parent_span_id && key(row.trace_id, row.parent_span_id));
  const depths = new Map<string, number>();
  const depth = (start: string): number => {
    const path = new Set<string>();
    let base = -1;
    for (let at: string | null = start; at && !path.has(at); at = parentOf.get(at) ?? null) {
      const known = depths.get(at);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (!parentOf.has(at)) break;
      path.add(at);
    }
    // The walk went up from the span; the span is the deepest.
    let below = base + path.size;
    for (const id of path) depths.set(id, below--);
    return depths.get(start) ?? 0;
  };
  return (row) => depth(key(row.trace_id, row.span_id));
}
