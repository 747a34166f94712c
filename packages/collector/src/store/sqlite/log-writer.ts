import type Database from "better-sqlite3";
import type { LogRecord } from "../../domain.js";
import { logValues } from "../log-values.js";
import type { IngestSummary } from "../store.js";
import type { Conversations } from "./conversations.js";

const INSERT_LOG_SQL = `
INSERT INTO logs (log_id, trace_id, span_id, run_id, request_id, service, ts, ts_ns, severity_number,
                  severity_text, event_name, body, attributes, scope, conversation_part, message)
VALUES (${new Array(16).fill("?").join(", ")})
ON CONFLICT (log_id) DO NOTHING`;

/**
 * Writes batches of log records, one transaction each. A record already stored (same content
 * hash) is skipped, so a retried batch stores nothing twice. A record of a trace that belongs to
 * a run is that run's; content events then fill their LLM span's conversation.
 */
export class LogWriter {
  private readonly insert: Database.Statement;
  private readonly selectRun: Database.Statement;
  readonly write: (logs: readonly LogRecord[]) => IngestSummary;

  constructor(
    db: Database.Database,
    private readonly conversations: Conversations,
  ) {
    this.insert = db.prepare(INSERT_LOG_SQL);
    this.selectRun = db.prepare("SELECT run_id FROM traces WHERE trace_id = ?").pluck();
    this.write = db.transaction((logs: readonly LogRecord[]) => this.writeBatch(logs));
  }

  private writeBatch(logs: readonly LogRecord[]): IngestSummary {
    const runOf = new Map<string, string | null>();
    const runIds = new Set<string>();
    const spansWithEvents = new Map<string, [string, string]>();
    let stored = 0;
    for (const log of logs) {
      let runId: string | null = null;
      if (log.traceId !== null) {
        if (!runOf.has(log.traceId))
          runOf.set(log.traceId, (this.selectRun.get(log.traceId) as string | null) ?? null);
        runId = runOf.get(log.traceId)!;
      }
      if (this.insert.run(...logValues(log, runId)).changes === 0) continue;
      stored++;
      if (runId !== null) runIds.add(runId);
      if (log.conversation && log.spanId !== null) {
        spansWithEvents.set(`${log.traceId}/${log.spanId}`, [log.traceId!, log.spanId]);
      }
    }
    for (const [traceId, spanId] of spansWithEvents.values())
      this.conversations.fillFromEvents(traceId, spanId);
    return { stored, runIds: [...runIds], unstored: [] };
  }
}
