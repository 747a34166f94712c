import type pg from "pg";

/**
 * Locks traces until the transaction ends: everything written about a trace (its spans, the run
 * it joins, its log records, an interruption of its run) is written by one transaction at a time,
 * whichever collector runs it. Transaction-scoped advisory locks on a hash of the trace ID, taken
 * in hash order so that two transactions never wait for each other in a circle; a lock also
 * holds for a trace that has no row yet (log records that come before their spans).
 */
export async function lockTraces(client: pg.ClientBase, traceIds: readonly string[]): Promise<void> {
  if (traceIds.length === 0) return;
  await client.query(
    `SELECT pg_advisory_xact_lock(h) FROM (
       SELECT DISTINCT hashtextextended(t, 15) AS h FROM unnest($1::text[]) AS t ORDER BY h
     ) AS locks`,
    [traceIds],
  );
}
