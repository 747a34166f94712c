import type pg from "pg";
import { decodeGraphCursor, encodeGraphCursor } from "../cursor.js";
import type {
  GraphCheckpointListPage,
  GraphCheckpointListQuery,
  GraphCheckpointPut,
  GraphCheckpointQuery,
  GraphCheckpointTuple,
  GraphValue,
  GraphWritesPut,
} from "../store.js";

/**
 * LangGraph checkpoints and pending writes (store/sqlite/graph-checkpoint-writer.ts and
 * graph-checkpoint-reads.ts): the serializer's bytes as bytea, with the encoding the saver gave.
 */
export async function putCheckpoint(
  client: pg.ClientBase,
  put: GraphCheckpointPut,
  nowMs: number,
): Promise<void> {
  const step = put.metadata.step;
  const source = put.metadata.source;
  await client.query(
    `INSERT INTO graph_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step, source, type,
       checkpoint, encoding, metadata, redacted, created_at, created_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
       parent_checkpoint_id = excluded.parent_checkpoint_id, step = excluded.step, source = excluded.source,
       type = excluded.type, checkpoint = excluded.checkpoint, encoding = excluded.encoding,
       metadata = excluded.metadata, redacted = excluded.redacted, created_at = excluded.created_at,
       created_ms = excluded.created_ms`,
    [
      put.threadId,
      put.checkpointNs,
      put.checkpointId,
      put.parentCheckpointId,
      Number.isSafeInteger(step) ? step : null,
      typeof source === "string" ? source : null,
      put.checkpoint.type,
      bytesOf(put.checkpoint),
      put.checkpoint.encoding,
      JSON.stringify(put.metadata),
      put.redacted ? 1 : 0,
      new Date(nowMs).toISOString(),
      nowMs,
    ],
  );
}

/** As LangGraph's own savers: a regular write is stored once, special writes (negative index) take the latest. */
export async function putWrites(client: pg.ClientBase, put: GraphWritesPut, nowMs: number): Promise<void> {
  for (const w of put.writes) {
    await client.query(
      `INSERT INTO graph_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, task_path, channel, type, value,
         encoding, redacted, created_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO ${
         w.idx < 0
           ? `UPDATE SET task_path = excluded.task_path, channel = excluded.channel, type = excluded.type,
                value = excluded.value, encoding = excluded.encoding, redacted = excluded.redacted,
                created_ms = excluded.created_ms`
           : "NOTHING"
       }`,
      [
        put.threadId,
        put.checkpointNs,
        put.checkpointId,
        put.taskId,
        w.idx,
        put.taskPath,
        w.channel,
        w.value.type,
        bytesOf(w.value),
        w.value.encoding,
        w.redacted ? 1 : 0,
        nowMs,
      ],
    );
  }
}

export async function deleteThread(client: pg.ClientBase, threadId: string): Promise<number> {
  await client.query("DELETE FROM graph_writes WHERE thread_id = $1", [threadId]);
  return (await client.query("DELETE FROM graph_checkpoints WHERE thread_id = $1", [threadId])).rowCount ?? 0;
}

interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Buffer;
  encoding: GraphValue["encoding"];
  metadata: string;
}

const COLUMNS =
  "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, encoding, metadata";

export async function getCheckpoint(
  client: pg.ClientBase,
  query: GraphCheckpointQuery,
): Promise<GraphCheckpointTuple | null> {
  const { rows } =
    query.checkpointId === undefined
      ? await client.query<CheckpointRow>(
          `SELECT ${COLUMNS} FROM graph_checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2 AND redacted = 0
           ORDER BY checkpoint_id DESC LIMIT 1`,
          [query.threadId, query.checkpointNs],
        )
      : await client.query<CheckpointRow>(
          `SELECT ${COLUMNS} FROM graph_checkpoints
           WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3 AND redacted = 0`,
          [query.threadId, query.checkpointNs, query.checkpointId],
        );
  return rows[0] ? tuple(client, rows[0]) : null;
}

export async function listCheckpoints(
  client: pg.ClientBase,
  query: GraphCheckpointListQuery,
): Promise<GraphCheckpointListPage> {
  const where = ["redacted = 0"];
  const params: unknown[] = [];
  const add = (sql: (...n: string[]) => string, ...values: unknown[]) => {
    const placeholders = values.map((v) => `$${params.push(v)}`);
    where.push(sql(...placeholders));
  };
  if (query.threadId !== undefined) add((p) => `thread_id = ${p}::text`, query.threadId);
  if (query.checkpointNs !== undefined) add((p) => `checkpoint_ns = ${p}::text`, query.checkpointNs);
  if (query.checkpointId !== undefined) add((p) => `checkpoint_id = ${p}::text`, query.checkpointId);
  if (query.before !== undefined) add((p) => `checkpoint_id < ${p}::text`, query.before);
  for (const [key, value] of Object.entries(query.filter ?? {})) {
    // jsonb equality: strings, numbers, booleans and objects compare by value, as json_extract's IS does;
    // a missing key equals null, as json_extract reads it.
    add(
      (k, v) => `coalesce(metadata::jsonb -> ${k}::text, 'null'::jsonb) = ${v}::jsonb`,
      key,
      JSON.stringify(value),
    );
  }
  if (query.cursor !== undefined) {
    const [thread, ns, id] = decodeGraphCursor(query.cursor);
    add(
      (t, n, i) =>
        `(thread_id > ${t}::text OR (thread_id = ${t}::text AND checkpoint_ns > ${n}::text) OR
          (thread_id = ${t}::text AND checkpoint_ns = ${n}::text AND checkpoint_id < ${i}::text))`,
      thread,
      ns,
      id,
    );
  }
  params.push(query.limit + 1);
  const { rows } = await client.query<CheckpointRow>(
    `SELECT ${COLUMNS} FROM graph_checkpoints WHERE ${where.join(" AND ")}
     ORDER BY thread_id, checkpoint_ns, checkpoint_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const checkpoints: GraphCheckpointTuple[] = [];
  for (const row of page) checkpoints.push(await tuple(client, row));
  return {
    checkpoints,
    nextCursor:
      rows.length > query.limit && last
        ? encodeGraphCursor(last.thread_id, last.checkpoint_ns, last.checkpoint_id)
        : null,
  };
}

async function tuple(client: pg.ClientBase, row: CheckpointRow): Promise<GraphCheckpointTuple> {
  const { rows } = await client.query<{
    task_id: string;
    channel: string;
    type: string;
    value: Buffer;
    encoding: GraphValue["encoding"];
  }>(
    // LangGraph's order, (task_path, task_id, idx); byte order, as the columns' "C" collation compares.
    `SELECT task_id, channel, type, value, encoding FROM graph_writes
     WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3 AND redacted = 0
     ORDER BY task_path, task_id, idx`,
    [row.thread_id, row.checkpoint_ns, row.checkpoint_id],
  );
  return {
    threadId: row.thread_id,
    checkpointNs: row.checkpoint_ns,
    checkpointId: row.checkpoint_id,
    parentCheckpointId: row.parent_checkpoint_id,
    checkpoint: graphValueOf(row.type, row.checkpoint, row.encoding),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    pendingWrites: rows.map((w) => ({
      taskId: w.task_id,
      channel: w.channel,
      value: graphValueOf(w.type, w.value, w.encoding),
    })),
  };
}

function bytesOf(value: GraphValue): Buffer {
  return Buffer.from(value.data, value.encoding === "utf8" ? "utf8" : "base64");
}

function graphValueOf(type: string, bytes: Buffer, encoding: GraphValue["encoding"]): GraphValue {
  return { type, data: bytes.toString(encoding === "utf8" ? "utf8" : "base64"), encoding };
}
