import type Database from "better-sqlite3";
import type { GraphCheckpointPut, GraphWritesPut } from "../store.js";
import { storedValue } from "./graph-values.js";

/**
 * Writes of LangGraph checkpoints and pending writes, each call one transaction on the writer
 * connection: the saver is answered only after it committed.
 */
export class GraphCheckpointWriter {
  private readonly insertCheckpoint: Database.Statement;
  private readonly insertWrite: Database.Statement;
  private readonly replaceWrite: Database.Statement;
  private readonly deleteCheckpoints: Database.Statement;
  private readonly deleteWrites: Database.Statement;
  readonly putWrites: (put: GraphWritesPut, nowMs: number) => void;
  readonly deleteThread: (threadId: string) => number;

  constructor(db: Database.Database) {
    this.insertCheckpoint = db.prepare(
      `INSERT OR REPLACE INTO graph_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, step,
         source, type, checkpoint, metadata, redacted, created_at, created_ms)
       VALUES (@threadId, @checkpointNs, @checkpointId, @parentCheckpointId, @step, @source, @type, @checkpoint,
               @metadata, @redacted, @createdAt, @createdMs)`,
    );
    const write = `INSERT INTO graph_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, task_path, channel,
         type, value, redacted, created_ms)
       VALUES (@threadId, @checkpointNs, @checkpointId, @taskId, @idx, @taskPath, @channel, @type, @value, @redacted,
               @createdMs)`;
    // As LangGraph's own savers: a task's regular write is stored once (a retried task does not
    // overwrite it); special writes (errors, interrupts: negative indexes) take the latest.
    this.insertWrite = db.prepare(`${write} ON CONFLICT DO NOTHING`);
    this.replaceWrite = db.prepare(
      `${write} ON CONFLICT DO UPDATE SET task_path = excluded.task_path, channel = excluded.channel,
         type = excluded.type, value = excluded.value, redacted = excluded.redacted, created_ms = excluded.created_ms`,
    );
    this.deleteCheckpoints = db.prepare("DELETE FROM graph_checkpoints WHERE thread_id = ?");
    this.deleteWrites = db.prepare("DELETE FROM graph_writes WHERE thread_id = ?");
    this.putWrites = db.transaction((put: GraphWritesPut, nowMs: number) => {
      for (const w of put.writes) {
        (w.idx < 0 ? this.replaceWrite : this.insertWrite).run({
          threadId: put.threadId,
          checkpointNs: put.checkpointNs,
          checkpointId: put.checkpointId,
          taskId: put.taskId,
          idx: w.idx,
          taskPath: put.taskPath,
          channel: w.channel,
          type: w.value.type,
          value: storedValue(w.value),
          redacted: w.redacted ? 1 : 0,
          createdMs: nowMs,
        });
      }
    });
    this.deleteThread = db.transaction((threadId: string) => {
      this.deleteWrites.run(threadId);
      return this.deleteCheckpoints.run(threadId).changes;
    });
  }

  putCheckpoint(put: GraphCheckpointPut, nowMs: number): void {
    const step = put.metadata.step;
    const source = put.metadata.source;
    this.insertCheckpoint.run({
      threadId: put.threadId,
      checkpointNs: put.checkpointNs,
      checkpointId: put.checkpointId,
      parentCheckpointId: put.parentCheckpointId,
      step: Number.isSafeInteger(step) ? step : null,
      source: typeof source === "string" ? source : null,
      type: put.checkpoint.type,
      checkpoint: storedValue(put.checkpoint),
      metadata: JSON.stringify(put.metadata),
      redacted: put.redacted ? 1 : 0,
      createdAt: new Date(nowMs).toISOString(),
      createdMs: nowMs,
    });
  }
}
