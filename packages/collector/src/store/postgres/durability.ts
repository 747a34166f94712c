import type pg from "pg";
import { checkpointSteps, type ExecutedStepRow, stepDurations } from "../crash-survival-rows.js";
import type {
  AttemptRoot,
  DurabilityStore,
  InFlightStep,
  Interruption,
  OpenAttempt,
  RunCheckpoints,
} from "../durability.js";
import { nsToIso } from "../time.js";
import { jsonIsOne, jsonNumber, jsonText } from "./json-sql.js";
import { namedSql } from "./named-sql.js";
import { MARK_INTERRUPTED } from "./run-rollup.js";
import { lockTraces } from "./trace-locks.js";

/**
 * Crash survival's reads and writes (store/sqlite/durability-queries.ts and in-flight-step.ts) in
 * PostgreSQL. `read` runs a read on a pooled connection; `write` runs a transaction.
 */
type Read = <T>(work: (client: pg.ClientBase) => Promise<T>) => Promise<T>;

type LatestRoot = Omit<OpenAttempt, "run_id" | "run_status" | "updated_at">;

const EXECUTED_STEPS_SQL = `
SELECT step_index AS "index", name, span_id AS "spanId", attempt, output, redacted FROM (
  SELECT step_index, name, span_id, attempt, output,
         ${jsonIsOne("attributes", "flightrec.step.output_redacted")} AS redacted,
         row_number() OVER (PARTITION BY step_index ORDER BY attempt DESC, start_ns DESC) AS rn
  FROM spans
  WHERE run_id = $1 AND kind = 'step' AND status = 'ok' AND end_ns IS NOT NULL AND step_index > 0
    AND output IS NOT NULL AND NOT ${jsonIsOne("attributes", "flightrec.step.replayed")}
) AS ranked WHERE rn = 1 ORDER BY step_index`;

const LATEST_ROOT_SQL = `
SELECT newest.attempt, root.trace_id, root.span_id, root.input AS root_input,
       ${jsonText("root.attributes", "flightrec.run.interrupted")} AS reason,
       ${jsonNumber("root.attributes", "flightrec.heartbeat.interval_ms")} AS interval_ms,
       CASE WHEN jsonb_typeof(root.attributes::jsonb -> 'flightrec.run.next_step.index') = 'number'
             AND (root.attributes::jsonb ->> 'flightrec.run.next_step.index') ~ '^-?[0-9]+$'
            THEN (root.attributes::jsonb ->> 'flightrec.run.next_step.index')::bigint END AS next_step_index,
       ${jsonText("root.attributes", "flightrec.run.next_step.name")} AS next_step_name
FROM (SELECT max(attempt) AS attempt FROM spans WHERE run_id = $1) AS newest
LEFT JOIN spans AS root ON root.span_key = (
  SELECT span_key FROM spans WHERE run_id = $1 AND kind = 'run' AND attempt = newest.attempt
  ORDER BY start_ns DESC LIMIT 1
)`;

const LAST_HEARD_SQL = `
SELECT max(coalesce(end_ns, start_ns))::text AS last_ns,
       max(CASE WHEN jsonb_typeof(attributes::jsonb -> 'flightrec.heartbeat.at') = 'number'
                THEN trunc((attributes::jsonb ->> 'flightrec.heartbeat.at')::numeric) END)::text AS heartbeat_ms
FROM spans WHERE run_id = $1 AND attempt = $2`;

const CLOSE_OPEN_SPANS = namedSql(`
UPDATE spans SET status = 'error', error = @error, end_ns = @end_ns::bigint, ended_at = @ended_at,
                 duration_ms = (@end_ns::bigint - start_ns) / 1e6
WHERE run_id = @run_id AND attempt = @attempt::int AND status = 'running'`);

const IN_FLIGHT_COLUMNS =
  "s.span_key::text AS span_key, s.trace_id, s.span_id, s.kind, s.name, s.step_index, s.input";

const IN_FLIGHT_SQL = `
SELECT ${IN_FLIGHT_COLUMNS} FROM spans AS s
WHERE s.run_id = $1 AND s.attempt = $2 AND s.status = 'running' AND s.kind <> 'run'
ORDER BY s.kind = 'step' DESC, s.step_index DESC NULLS LAST, s.start_ns DESC LIMIT 1`;

const OPEN_NODE_SQL = `
SELECT ${IN_FLIGHT_COLUMNS} FROM spans AS s
JOIN spans AS parent ON parent.trace_id = s.trace_id AND parent.span_id = s.parent_span_id
LEFT JOIN spans AS grand ON grand.trace_id = parent.trace_id AND grand.span_id = parent.parent_span_id
WHERE s.run_id = $1 AND s.attempt = $2 AND s.status = 'running' AND s.kind = 'other'
  AND parent.run_id = $1 AND parent.attempt = $2
  AND ((parent.kind = 'run' AND parent.trace_id = $1)
    OR (parent.kind = 'other' AND parent.status = 'running'
        AND grand.kind = 'run' AND grand.run_id = $1 AND grand.attempt = $2))
ORDER BY s.start_ns DESC LIMIT 1`;

const MAX_HEARTBEAT_MS = 9_000_000_000_000n;

type Row = Omit<InFlightStep, "step_name" | "derived">;

export function postgresDurability(
  leadership: { leads(): Promise<boolean> },
  read: Read,
  /** Runs a write transaction that changes the runs `runIdsOf` names (told to live clients after its commit). */
  write: <T>(
    runIdsOf: (result: T) => readonly string[],
    work: (client: pg.PoolClient) => Promise<T>,
  ) => Promise<T>,
): DurabilityStore {
  const latestRoot = async (client: pg.ClientBase, runId: string) =>
    (await client.query<LatestRoot>(LATEST_ROOT_SQL, [runId])).rows[0]!;
  return {
    checkpoints: (runId) =>
      read(async (client): Promise<RunCheckpoints | null> => {
        const root = await latestRoot(client, runId);
        if (root.attempt === null) return null;
        const { rows } = await client.query<ExecutedStepRow>(EXECUTED_STEPS_SQL, [runId]);
        const steps = checkpointSteps(rows);
        return { runId, attempt: root.attempt, traceId: root.trace_id, spanId: root.span_id, steps };
      }),
    stepDurationsOf: (runName) =>
      read(async (client) => {
        const { rows } = await client.query<{ name: string; duration_ms: number }>(
          `SELECT name, duration_ms FROM spans
           WHERE kind = 'step' AND status = 'ok' AND duration_ms IS NOT NULL
             AND NOT ${jsonIsOne("attributes", "flightrec.step.replayed")}
             AND run_id IN (SELECT run_id FROM runs WHERE name = $1)
           ORDER BY start_ns DESC LIMIT 10000`,
          [runName],
        );
        return stepDurations(rows);
      }),
    openAttemptsSince: (sinceIso) =>
      read(async (client) => {
        const { rows } = await client.query<Pick<OpenAttempt, "run_id" | "run_status" | "updated_at">>(
          `SELECT run_id, status AS run_status, updated_at FROM runs
           WHERE status = 'running' OR (status = 'error' AND updated_at >= $1)`,
          [sinceIso],
        );
        const open: OpenAttempt[] = [];
        for (const run of rows) open.push({ ...run, ...(await latestRoot(client, run.run_id)) });
        return open;
      }),
    inFlightStep: (runId, attempt) => read((client) => inFlightStep(client, runId, attempt)),
    resumedRunsSince: (sinceIso) =>
      read(
        async (client) =>
          (
            await client.query<{ run_id: string; attempts: number }>(
              `SELECT run_id, attempts FROM runs
               WHERE status IN ('running', 'ok', 'error', 'interrupted') AND updated_at >= $1 AND attempts > 1`,
              [sinceIso],
            )
          ).rows,
      ),
    openAttemptsBefore: (runId, newest) =>
      read(async (client) =>
        (
          await client.query<{ attempt: number }>(
            `SELECT DISTINCT attempt FROM spans WHERE run_id = $1 AND attempt < $2 AND status = 'running'
             ORDER BY attempt`,
            [runId, newest],
          )
        ).rows.map((r) => r.attempt),
      ),
    rootOf: (runId, attempt) =>
      read(
        async (client) =>
          (
            await client.query<AttemptRoot>(
              `SELECT input AS root_input, ${jsonText("attributes", "flightrec.run.interrupted")} AS reason FROM spans
               WHERE run_id = $1 AND attempt = $2 AND kind = 'run' ORDER BY start_ns DESC LIMIT 1`,
              [runId, attempt],
            )
          ).rows[0],
      ),
    leadsSweep: () => leadership.leads(),
    interrupt: (interruption) =>
      write(
        () => [interruption.runId],
        (client) => writeInterruption(client, interruption),
      ),
  };
}

async function inFlightStep(
  client: pg.ClientBase,
  runId: string,
  attempt: number,
): Promise<InFlightStep | undefined> {
  const span = (await client.query<Row>(IN_FLIGHT_SQL, [runId, attempt])).rows[0];
  if (!span) return undefined;
  if (span.kind === "step") return { ...span, step_name: span.name, derived: false };
  const latest = (
    await client.query<{ step_index: number; name: string }>(
      `SELECT step_index, name FROM spans
       WHERE run_id = $1 AND attempt = $2 AND kind = 'step' AND step_index IS NOT NULL
       ORDER BY step_index DESC, start_ns DESC LIMIT 1`,
      [runId, attempt],
    )
  ).rows[0];
  const node = (await client.query<Row>(OPEN_NODE_SQL, [runId, attempt])).rows[0];
  if (node) {
    return { ...node, step_index: (latest?.step_index ?? 0) + 1, step_name: node.name, derived: true };
  }
  const index = span.step_index ?? latest?.step_index ?? null;
  const stepName =
    index === null
      ? null
      : ((
          await client.query<{ name: string }>(
            `SELECT name FROM spans WHERE run_id = $1 AND attempt = $2 AND kind = 'step' AND step_index = $3
             ORDER BY start_ns DESC LIMIT 1`,
            [runId, attempt, index],
          )
        ).rows[0]?.name ?? null);
  return { ...span, step_index: index, step_name: stepName, derived: false };
}

/**
 * The interruption, atomically: the run's traces are locked first, as ingest locks them, so a
 * batch of the run and the verdict take turns instead of deadlocking on its spans and row.
 */
async function writeInterruption(client: pg.ClientBase, i: Interruption): Promise<void> {
  const traces = await client.query<{ trace_id: string }>("SELECT trace_id FROM traces WHERE run_id = $1", [
    i.runId,
  ]);
  await lockTraces(
    client,
    traces.rows.map((r) => r.trace_id),
  );
  const ts = i.now.toISOString();
  const cost = (
    await client.query<{ cost: number | null }>(
      "SELECT sum(cost_usd) AS cost FROM spans WHERE run_id = $1 AND kind = 'llm'",
      [i.runId],
    )
  ).rows[0]!.cost;
  const where = i.step
    ? { index: i.step.step_index, name: i.step.step_name ?? i.step.name }
    : (i.nextStep ?? null);
  await client.query(
    `INSERT INTO interruptions (run_id, attempt, reason, step, step_name, span_id, input, cost_usd, ts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [
      i.runId,
      i.attempt,
      i.reason,
      where?.index ?? null,
      where?.name ?? null,
      i.step?.span_id ?? null,
      i.step?.input ?? null,
      cost,
      ts,
    ],
  );
  if (i.step) {
    await client.query(
      `INSERT INTO failures (span_key, trace_id, span_id, run_id, attempt, step, kind, name, error_type, message, stack,
                             input, context, ts, ts_ns)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'interrupted', $9, NULL, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
      [
        i.step.span_key,
        i.step.trace_id,
        i.step.span_id,
        i.runId,
        i.attempt,
        i.step.step_index,
        i.step.kind,
        i.step.name,
        `interrupted: ${i.reason}`,
        i.step.input,
        i.rootInput,
        ts,
        BigInt(i.now.getTime()) * 1_000_000n,
      ],
    );
  }
  await client.query(
    MARK_INTERRUPTED.text,
    MARK_INTERRUPTED.values({
      run_id: i.runId,
      attempt: i.attempt,
      reason: i.reason,
      next_step: i.nextStep?.index ?? null,
      next_step_name: i.nextStep?.name ?? null,
      at_step: i.step?.derived ? i.step.step_index : null,
      at_step_name: i.step?.derived ? i.step.step_name : null,
      now: ts,
    }),
  );
  await closeOpenSpans(client, i.runId, i.attempt, i.reason);
}

/** The attempt is over: its spans still running end, interrupted, when it was last heard of. */
async function closeOpenSpans(
  client: pg.ClientBase,
  runId: string,
  attempt: number,
  reason: string,
): Promise<void> {
  const heard = (
    await client.query<{ last_ns: string | null; heartbeat_ms: string | null }>(LAST_HEARD_SQL, [
      runId,
      attempt,
    ])
  ).rows[0]!;
  if (heard.last_ns === null) return;
  let endNs = BigInt(heard.last_ns);
  const beat = heard.heartbeat_ms === null ? null : BigInt(heard.heartbeat_ms);
  if (beat !== null && beat > 0n && beat < MAX_HEARTBEAT_MS && beat * 1_000_000n > endNs)
    endNs = beat * 1_000_000n;
  await client.query(
    CLOSE_OPEN_SPANS.text,
    CLOSE_OPEN_SPANS.values({
      run_id: runId,
      attempt,
      error: `interrupted: ${reason}`,
      end_ns: endNs,
      ended_at: nsToIso(endNs),
    }),
  );
}
