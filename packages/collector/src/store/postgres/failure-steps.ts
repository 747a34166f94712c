import type pg from "pg";
import { keyBaseOf, MAX_KEY_PROBES, spanKey } from "../span-key.js";

interface Ancestor {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  kind: string;
  step_index: number | null;
}

/** Deeper than any real span tree; it bounds the walk should parent links ever form a loop. */
const MAX_DEPTH = 256;

const SELECT = `SELECT f.span_key::text AS span_key, s.trace_id, s.parent_span_id
  FROM failures f JOIN spans s ON s.span_key = f.span_key
  WHERE f.run_id = ANY($1::text[]) AND s.step_index IS NULL AND s.kind <> 'run' AND s.parent_span_id IS NOT NULL`;

/**
 * Places failures of spans without a step number of their own in the nearest step enclosing
 * them (store/sqlite/failure-steps.ts), for several runs in one statement; with `renumbered`,
 * failures placed before are placed again (the store moved their runs' steps).
 */
export async function placeFailures(
  client: pg.ClientBase,
  runIds: readonly string[],
  renumbered: boolean,
): Promise<void> {
  if (runIds.length === 0) return;
  const { rows } = await client.query<{ span_key: string; trace_id: string; parent_span_id: string | null }>(
    renumbered ? SELECT : `${SELECT} AND f.step IS NULL`,
    [runIds],
  );
  for (const failure of rows) {
    const key = BigInt(failure.span_key);
    const step = await enclosingStep(client, key, failure.trace_id, failure.parent_span_id);
    if (step !== null || renumbered) {
      await client.query("UPDATE failures SET step = $1 WHERE span_key = $2", [step, key]);
    }
  }
}

async function enclosingStep(
  client: pg.ClientBase,
  key: bigint,
  traceId: string,
  parentSpanId: string | null,
): Promise<number | null> {
  const base = keyBaseOf(key);
  let parentId = parentSpanId;
  for (let depth = 0; parentId !== null && depth < MAX_DEPTH; depth++) {
    const parent = await find(client, base, traceId, parentId);
    if (!parent) return null;
    if (parent.kind === "step" && parent.step_index !== null) return parent.step_index;
    parentId = parent.parent_span_id;
  }
  return null;
}

/** A stored span by trace and span ID: the keys its ID probes, in one statement. */
async function find(
  client: pg.ClientBase,
  base: bigint,
  traceId: string,
  spanId: string,
): Promise<Ancestor | undefined> {
  const keys = Array.from({ length: MAX_KEY_PROBES }, (_, probe) => spanKey(base, spanId, probe));
  const { rows } = await client.query<Ancestor>(
    `SELECT trace_id, span_id, parent_span_id, kind, step_index FROM spans
     WHERE span_key = ANY($1::bigint[]) AND trace_id = $2 AND span_id = $3 LIMIT 1`,
    [keys, traceId, spanId],
  );
  return rows[0];
}
