import type pg from "pg";
import type { SpanRecord } from "../../domain.js";
import { KEY_RANGE_SQL } from "../span-key.js";
import { type Claim, claimsOf } from "../trace-claims.js";
import { BASE_SEQUENCE_BITS, keyHourAt } from "./partitions.js";
import { lockTraces } from "./trace-locks.js";

/** What the store holds of a trace (a row of `traces`); see store/sqlite/trace-directory.ts. */
export interface TraceEntry {
  keyBase: bigint;
  runId: string | null;
  attempt: number | null;
}

const SEQUENCE_MOD = 2 ** BASE_SEQUENCE_BITS;

const JOIN_RUN = ["spans", "failures", "decisions"].map(
  (table) =>
    `UPDATE ${table} SET run_id = $1, attempt = coalesce($2, attempt)
     WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("$3::bigint")} AND ${KEY_RANGE_SQL.last("$3::bigint")}
       AND trace_id = $4 AND run_id IS NULL`,
);

/**
 * The `traces` rows of a batch, created where missing, with the batch's traces locked until it
 * commits (trace-locks.ts): two collectors writing spans of one trace take turns, so whatever one
 * reads of the trace's spans (copies stored before, steps to number, turns) the other cannot
 * change under it. Nothing is cached between batches: another collector may claim a trace.
 */
export async function traceEntries(
  client: pg.ClientBase,
  spans: readonly SpanRecord[],
  nowMs: number,
): Promise<Map<string, TraceEntry>> {
  const claims = claimsOf(spans);
  const ids = [...claims.keys()].sort();
  await lockTraces(client, ids);
  const inserted = await client.query<{ trace_id: string }>(
    `INSERT INTO traces (trace_id, key_base, run_id, seen_ms)
     SELECT t, ($2::bigint << ${BASE_SEQUENCE_BITS}) | (nextval('trace_key_seq') % ${SEQUENCE_MOD}), r, $4
     FROM unnest($1::text[], $3::text[]) AS u(t, r)
     ON CONFLICT (trace_id) DO NOTHING RETURNING trace_id`,
    [ids, keyHourAt(nowMs), ids.map((id) => claims.get(id)?.runId ?? null), nowMs],
  );
  const created = new Set(inserted.rows.map((r) => r.trace_id));
  const claimedNow = [...created].filter((id) => claims.get(id));
  if (claimedNow.length > 0)
    await claimLogs(
      client,
      claimedNow,
      claimedNow.map((id) => claims.get(id)!.runId),
    );
  const { rows } = await client.query<{ trace_id: string; key_base: string; run_id: string | null }>(
    `SELECT trace_id, key_base::text AS key_base, run_id FROM traces WHERE trace_id = ANY($1)
     ORDER BY trace_id`,
    [ids],
  );
  const entries = new Map<string, TraceEntry>();
  for (const row of rows) {
    const claim = claims.get(row.trace_id) ?? null;
    const keyBase = BigInt(row.key_base);
    const entry: TraceEntry = created.has(row.trace_id)
      ? { keyBase, runId: row.run_id, attempt: claim?.attempt ?? null }
      : { keyBase, runId: row.run_id, attempt: await attemptOf(client, row.trace_id, keyBase, row.run_id) };
    if (entry.runId === null && claim !== null) await lateClaim(client, entry, row.trace_id, claim);
    else if (entry.attempt === null && claim?.attempt != null && claim.runId === entry.runId) {
      entry.attempt = claim.attempt;
    }
    entries.set(row.trace_id, entry);
  }
  return entries;
}

/** Log records that came before their trace's run join it. */
async function claimLogs(client: pg.ClientBase, traceIds: string[], runIds: string[]): Promise<void> {
  await client.query(
    `UPDATE logs SET run_id = u.r FROM unnest($1::text[], $2::text[]) AS u(t, r)
     WHERE logs.trace_id = u.t AND logs.run_id IS NULL`,
    [traceIds, runIds],
  );
}

/** A trace stored so far as plain spans turns out to be a run's: what it has joins the run. */
async function lateClaim(
  client: pg.ClientBase,
  entry: TraceEntry,
  traceId: string,
  claim: Claim,
): Promise<void> {
  await client.query("UPDATE traces SET run_id = $1 WHERE trace_id = $2 AND run_id IS NULL", [
    claim.runId,
    traceId,
  ]);
  await claimLogs(client, [traceId], [claim.runId]);
  entry.runId = claim.runId;
  entry.attempt = claim.attempt;
  for (const sql of JOIN_RUN) {
    await client.query(sql, [claim.runId, claim.attempt, entry.keyBase.toString(), traceId]);
  }
}

/** The attempt of the run span of ours that named the trace's run, read back from the store. */
async function attemptOf(
  client: pg.ClientBase,
  traceId: string,
  keyBase: bigint,
  runId: string | null,
): Promise<number | null> {
  if (runId === null || runId === traceId) return null;
  const { rows } = await client.query<{ attempt: number }>(
    `SELECT attempt FROM spans WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("$1::bigint")}
       AND ${KEY_RANGE_SQL.last("$1::bigint")} AND trace_id = $2 AND run_id = $3 AND kind = 'run'
     ORDER BY attempt DESC LIMIT 1`,
    [keyBase.toString(), traceId, runId],
  );
  return rows[0]?.attempt ?? null;
}
