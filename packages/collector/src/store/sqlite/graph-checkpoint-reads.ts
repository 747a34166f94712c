import { decodeGraphCursor, encodeGraphCursor } from "../cursor.js";
import type {
  GraphCheckpointListPage,
  GraphCheckpointListQuery,
  GraphCheckpointQuery,
  GraphCheckpointTuple,
  GraphPendingWrite,
} from "../store.js";
import { graphValue } from "./graph-values.js";
import type { StatementCache } from "./statement-cache.js";

interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: string | Buffer;
  metadata: string;
}

interface WriteRow {
  task_id: string;
  channel: string;
  type: string;
  value: string | Buffer;
}

const COLUMNS = "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata";

// In LangGraph's order for a super-step's writes, (task_path, task_id, idx): BINARY collation
// compares UTF-8 bytes, which is code point order. Redacted writes are left out: their task runs again.
const WRITES_SQL = `SELECT task_id, channel, type, value FROM graph_writes
  WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND redacted = 0
  ORDER BY task_path, task_id, idx`;

/** Reads of LangGraph checkpoints; redacted checkpoints are never handed back to a graph. */
export function getGraphCheckpoint(
  statements: StatementCache,
  query: GraphCheckpointQuery,
): GraphCheckpointTuple | null {
  const row = (
    query.checkpointId === undefined
      ? statements
          .get(
            `SELECT ${COLUMNS} FROM graph_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? AND redacted = 0
             ORDER BY checkpoint_id DESC LIMIT 1`,
          )
          .get(query.threadId, query.checkpointNs)
      : statements
          .get(
            `SELECT ${COLUMNS} FROM graph_checkpoints
             WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND redacted = 0`,
          )
          .get(query.threadId, query.checkpointNs, query.checkpointId)
  ) as CheckpointRow | undefined;
  return row ? tuple(statements, row) : null;
}

export function listGraphCheckpoints(
  statements: StatementCache,
  query: GraphCheckpointListQuery,
): GraphCheckpointListPage {
  const where = ["redacted = 0"];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (query.threadId !== undefined) add("thread_id = ?", query.threadId);
  if (query.checkpointNs !== undefined) add("checkpoint_ns = ?", query.checkpointNs);
  if (query.checkpointId !== undefined) add("checkpoint_id = ?", query.checkpointId);
  if (query.before !== undefined) add("checkpoint_id < ?", query.before);
  for (const [key, value] of Object.entries(query.filter ?? {})) {
    // Both sides read through json_extract, so strings, numbers, booleans, null and objects compare alike.
    add("json_extract(metadata, ?) IS json_extract(?, '$')", `$."${key}"`, JSON.stringify(value));
  }
  if (query.cursor !== undefined) {
    const [thread, ns, id] = decodeGraphCursor(query.cursor);
    add(
      `(thread_id > ? OR (thread_id = ? AND checkpoint_ns > ?) OR
        (thread_id = ? AND checkpoint_ns = ? AND checkpoint_id < ?))`,
      thread,
      thread,
      ns,
      thread,
      ns,
      id,
    );
  }
  const rows = statements
    .get(
      `SELECT ${COLUMNS} FROM graph_checkpoints WHERE ${where.join(" AND ")}
       ORDER BY thread_id, checkpoint_ns, checkpoint_id DESC LIMIT ?`,
    )
    .all(...params, query.limit + 1) as CheckpointRow[];
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    checkpoints: page.map((row) => tuple(statements, row)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeGraphCursor(last.thread_id, last.checkpoint_ns, last.checkpoint_id)
        : null,
  };
}

function tuple(statements: StatementCache, row: CheckpointRow): GraphCheckpointTuple {
  const writes = statements
    .get(WRITES_SQL)
    .all(row.thread_id, row.checkpoint_ns, row.checkpoint_id) as WriteRow[];
  return {
    threadId: row.thread_id,
    checkpointNs: row.checkpoint_ns,
    checkpointId: row.checkpoint_id,
    parentCheckpointId: row.parent_checkpoint_id,
    checkpoint: graphValue(row.type, row.checkpoint),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    pendingWrites: writes.map(
      (w): GraphPendingWrite => ({
        taskId: w.task_id,
        channel: w.channel,
        value: graphValue(w.type, w.value),
      }),
    ),
  };
}
