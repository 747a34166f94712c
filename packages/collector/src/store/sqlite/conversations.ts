import type Database from "better-sqlite3";
import { joinedMessages } from "../conversation-messages.js";
import { KEY_RANGE_SQL } from "../span-key.js";

/** The LLM span a content event names, found within its trace's key range (span-key.ts). */
const SELECT_SPAN_SQL = `
SELECT spans.span_key, spans.input IS NULL AND spans.output IS NULL AS empty, spans.messages_from_logs AS taken
FROM traces JOIN spans
  ON spans.span_key BETWEEN ${KEY_RANGE_SQL.first("traces.key_base")} AND ${KEY_RANGE_SQL.last("traces.key_base")}
WHERE traces.trace_id = ? AND spans.trace_id = traces.trace_id AND spans.span_id = ? AND spans.kind = 'llm'`;

interface SpanState {
  span_key: bigint;
  empty: number;
  taken: number;
}

/**
 * Joins GenAI content events (log records) to their LLM span: the span's input and output are
 * its events' messages, in time order, whichever of span and events the store gets first. A
 * span that records its conversation itself keeps it; one whose conversation came from events
 * is marked (`messages_from_logs`), so events arriving later extend it.
 */
export class Conversations {
  private readonly selectMessages: Database.Statement;
  private readonly selectSpan: Database.Statement;
  private readonly setMessages: Database.Statement;
  private readonly setFailureInput: Database.Statement;

  constructor(db: Database.Database) {
    this.selectMessages = db.prepare(
      `SELECT conversation_part AS part, message FROM logs
       WHERE trace_id = ? AND span_id = ? AND conversation_part IS NOT NULL ORDER BY ts_ns, rowid`,
    );
    this.selectSpan = db.prepare(SELECT_SPAN_SQL).safeIntegers();
    this.setMessages = db.prepare(
      "UPDATE spans SET input = ?, output = ?, messages_from_logs = 1 WHERE span_key = ?",
    );
    // A failed call's input is what it was sent: its failure row gets it too when it had none.
    this.setFailureInput = db.prepare("UPDATE failures SET input = ? WHERE span_key = ? AND input IS NULL");
  }

  /** After an LLM span with no conversation of its own was written: takes it from events stored before it. */
  fillSpan(key: bigint, traceId: string, spanId: string): void {
    this.fill(key, traceId, spanId);
  }

  /** After content events of a span were stored: fills the span if it is stored and takes them. */
  fillFromEvents(traceId: string, spanId: string): void {
    const span = this.selectSpan.get(traceId, spanId) as SpanState | undefined;
    if (span && (span.taken || span.empty)) this.fill(span.span_key, traceId, spanId);
  }

  private fill(key: bigint, traceId: string, spanId: string): void {
    const rows = this.selectMessages.all(traceId, spanId) as { part: "input" | "output"; message: string }[];
    if (rows.length === 0) return;
    const input = joinedMessages(rows, "input");
    this.setMessages.run(input, joinedMessages(rows, "output"), key);
    if (input !== null) this.setFailureInput.run(input, key);
  }
}
