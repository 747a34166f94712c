import { describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { LogRecord } from "../../domain.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const LLM_SPAN = "2222222222222222";
const T0 = 1_763_900_000_000_000_000n;

let n = 0;
function logRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  n++;
  return {
    logId: n.toString(16).padStart(32, "0"),
    traceId: TRACE,
    spanId: LLM_SPAN,
    requestId: null,
    service: null,
    tsNs: T0 + BigInt(n),
    severityNumber: 9,
    severityText: "INFO",
    eventName: null,
    body: `"line ${n}"`,
    attributes: "{}",
    scope: null,
    conversation: null,
    ...overrides,
  };
}
const content = (part: "input" | "output", message: object) =>
  logRecord({ eventName: "gen_ai.x", conversation: { part, message: JSON.stringify(message) } });

const runSpan = spanRecord({
  traceId: TRACE,
  spanId: "1111111111111111",
  runId: "run-1",
  kind: "run",
  startNs: T0,
});
const llmSpan = spanRecord({
  traceId: TRACE,
  spanId: LLM_SPAN,
  parentSpanId: runSpan.spanId,
  kind: "llm",
  startNs: T0,
  endNs: T0 + 1_000_000n,
});

describe.each(STORE_KINDS)("log records (%s store)", (kind) => {
  const current = useStore(kind, { readThreads: 0 });
  const rows = (sql: string) => current().query(sql);

  it("stores a re-sent record once", async () => {
    const line = logRecord();
    expect((await current().store.ingestLogs([line])).stored).toBe(1);
    expect((await current().store.ingestLogs([line])).stored).toBe(0);
    expect(await rows("SELECT count(*) AS n FROM logs")).toEqual([{ n: 1 }]);
  });

  it("gives records their run whether the run's spans come before or after them", async () => {
    const early = logRecord();
    await current().store.ingestLogs([early]);
    await current().store.ingest([runSpan, llmSpan]);
    const late = logRecord();
    expect((await current().store.ingestLogs([late])).runIds).toEqual(["run-1"]);
    const detail = await current().store.getRun("run-1");
    expect(detail?.logs.map((l) => l.body)).toEqual([early.body, late.body]);
  });

  it.each([
    ["span first", "span"],
    ["events first", "events"],
  ])("fills the LLM span's conversation from its content events, %s", async (_how, first) => {
    const events = [
      content("input", { role: "system", content: "be brief" }),
      content("input", { role: "user", content: "hi" }),
      content("output", {
        role: "assistant",
        parts: [{ type: "text", content: "hello" }],
        finish_reason: "stop",
      }),
    ];
    if (first === "span") await current().store.ingest([runSpan, llmSpan]);
    await current().store.ingestLogs(events.slice(0, 2));
    if (first === "events") await current().store.ingest([runSpan, llmSpan]);
    await current().store.ingestLogs(events.slice(2));
    // A retried span (no conversation of its own) keeps the one from its events.
    await current().store.ingest([llmSpan]);
    const span = (await current().store.getRun("run-1"))!.spans.find((s) => s.span_id === LLM_SPAN)!;
    expect(JSON.parse(span.input!)).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
    ]);
    expect(JSON.parse(span.output!)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "hello" }], finish_reason: "stop" },
    ]);
    // Content events are the span's conversation, not log lines of the run.
    expect((await current().store.getRun("run-1"))!.logs).toEqual([]);
  });

  it("leaves a span that records its conversation itself as it is", async () => {
    await current().store.ingest([runSpan, { ...llmSpan, input: '[{"role":"user","content":"own"}]' }]);
    await current().store.ingestLogs([content("input", { role: "user", content: "from event" })]);
    const span = (await current().store.getRun("run-1"))!.spans.find((s) => s.span_id === LLM_SPAN)!;
    expect(span.input).toBe('[{"role":"user","content":"own"}]');
  });

  it("lists logs by run, span and request ID, in pages", async () => {
    await current().store.ingest([runSpan, { ...llmSpan, requestId: null }]);
    await current().exec("UPDATE runs SET request_id = 'req-1'");
    const lines = [logRecord(), logRecord({ spanId: runSpan.spanId }), logRecord()];
    const loose = logRecord({ traceId: null, spanId: null, requestId: "req-1" });
    const other = logRecord({ traceId: null, spanId: null, requestId: "req-2" });
    await current().store.ingestLogs([...lines, loose, other]);
    const bodies = (page: { logs: { body: string | null }[] }) => page.logs.map((l) => l.body);
    expect(bodies(await current().store.listLogs({ runId: "run-1", limit: 10 }))).toEqual(
      lines.map((l) => l.body),
    );
    expect(bodies(await current().store.listLogs({ spanId: runSpan.spanId, limit: 10 }))).toEqual([
      lines[1]!.body,
    ]);
    expect(bodies(await current().store.listLogs({ requestId: "req-1", limit: 10 }))).toEqual(
      [...lines, loose].map((l) => l.body),
    );
    const first = await current().store.listLogs({ runId: "run-1", limit: 2 });
    const second = await current().store.listLogs({ runId: "run-1", limit: 2, cursor: first.nextCursor! });
    expect([...bodies(first), ...bodies(second)]).toEqual(lines.map((l) => l.body));
    expect(second.nextCursor).toBeNull();
  });

  it("deletes a run's logs with the run, and old logs of no run", async () => {
    await current().store.ingest([runSpan]);
    await current().store.ingestLogs([logRecord(), logRecord({ traceId: null, spanId: null })]);
    await current().store.deleteRunsBefore("2100-01-01T00:00:00.000Z", 10);
    expect(await rows("SELECT count(*) AS n FROM logs")).toEqual([{ n: 1 }]);
    await current().store.deleteSpansWithoutRunBefore("2100-01-01T00:00:00.000Z", 10);
    expect(await rows("SELECT count(*) AS n FROM logs")).toEqual([{ n: 0 }]);
  });
});
