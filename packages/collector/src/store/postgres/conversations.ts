import type pg from "pg";
import { joinedMessages } from "../conversation-messages.js";
import { KEY_RANGE_SQL } from "../span-key.js";

/**
 * Joins GenAI content events (log records) to their LLM span (store/sqlite/conversations.ts):
 * the span's input and output are its events' messages in time order, whichever arrives first.
 */
export async function fillSpan(
  client: pg.ClientBase,
  key: bigint,
  traceId: string,
  spanId: string,
): Promise<void> {
  const { rows } = await client.query<{ part: "input" | "output"; message: string }>(
    `SELECT conversation_part AS part, message FROM logs
     WHERE trace_id = $1 AND span_id = $2 AND conversation_part IS NOT NULL ORDER BY ts_ns, seq`,
    [traceId, spanId],
  );
  if (rows.length === 0) return;
  const input = joinedMessages(rows, "input");
  await client.query("UPDATE spans SET input = $1, output = $2, messages_from_logs = 1 WHERE span_key = $3", [
    input,
    joinedMessages(rows, "output"),
    key,
  ]);
  // A failed call's input is what it was sent: its failure row gets it too when it had none.
  if (input !== null) {
    await client.query("UPDATE failures SET input = $1 WHERE span_key = $2 AND input IS NULL", [input, key]);
  }
}

/** After content events of a span were stored: fills the span if it is stored and takes them. */
export async function fillFromEvents(client: pg.ClientBase, traceId: string, spanId: string): Promise<void> {
  const { rows } = await client.query<{ span_key: string; empty: boolean; taken: number }>(
    `SELECT spans.span_key::text AS span_key, spans.input IS NULL AND spans.output IS NULL AS empty,
            spans.messages_from_logs AS taken
     FROM traces JOIN spans
       ON spans.span_key BETWEEN ${KEY_RANGE_SQL.first("traces.key_base")} AND ${KEY_RANGE_SQL.last("traces.key_base")}
     WHERE traces.trace_id = $1 AND spans.trace_id = traces.trace_id AND spans.span_id = $2 AND spans.kind = 'llm'`,
    [traceId, spanId],
  );
  const span = rows[0];
  if (span && (span.taken || span.empty)) await fillSpan(client, BigInt(span.span_key), traceId, spanId);
}
