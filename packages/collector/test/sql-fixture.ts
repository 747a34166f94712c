import type Database from "better-sqlite3";
import type pg from "pg";
import { createPartitions, dayAt, keyRangeOfDay } from "../src/store/postgres/partitions.js";

/**
 * The same rows for a SQLite and a PostgreSQL store, written with the same INSERTs (the schemas
 * match), so the SQL consoles of both can be asked the same questions. One run, task-123, started
 * yesterday (STARTED): two steps,
 * an LLM call, two tool calls (one failed), a refund decision, a failure and a log line.
 */
/** Yesterday, on a whole second: inside the README's "this week". */
const STARTED = Math.floor((Date.now() - 86_400_000) / 1000) * 1000;
const iso = (offsetMs: number) => new Date(STARTED + offsetMs).toISOString();
const ns = (offsetMs: number) => (BigInt(STARTED + offsetMs) * 1_000_000n).toString();
const TRACE = "0af7651916cd43dd8448eb211c80319c";

export { STARTED };

type Row = Record<string, string | number | null>;

const span = (i: number, fields: Row): Row => ({
  trace_id: TRACE,
  span_id: `b7ad6b71692033${String(i).padStart(2, "0")}`,
  run_id: "task-123",
  status: "ok",
  started_at: iso(i * 1000),
  ended_at: iso(i * 1000 + 400),
  duration_ms: 400,
  start_ns: ns(i * 1000),
  end_ns: ns(i * 1000 + 400),
  attributes: "{}",
  ...fields,
});

export const SPANS: Row[] = [
  span(1, { kind: "run", name: "analyze_sales_data", duration_ms: 6000, ended_at: iso(7000) }),
  span(2, { kind: "step", name: "fetch_data", step_index: 1, output: '{"rows":42}' }),
  span(3, {
    kind: "llm",
    name: "chat gpt-4o-mini",
    model: "gpt-4o-mini",
    provider: "openai",
    input_tokens: 120,
    output_tokens: 30,
    cost_usd: 0.0125,
  }),
  span(4, { kind: "tool", name: "lookup", duration_ms: 250, attributes: '{"gen_ai.tool.name":"lookup"}' }),
  span(5, {
    kind: "tool",
    name: "refund",
    status: "error",
    error: "card declined",
    duration_ms: 750.5,
    attributes: '{"gen_ai.tool.name":"refund"}',
  }),
  span(6, { kind: "step", name: "send_email", step_index: 2, status: "error", error: "card declined" }),
];

const TABLES: Record<string, Row[]> = {
  runs: [
    {
      run_id: "task-123",
      name: "analyze_sales_data",
      status: "error",
      started_at: iso(1000),
      ended_at: iso(7000),
      duration_ms: 6000,
      current_step: 2,
      current_step_name: "send_email",
      steps: 2,
      input_tokens: 120,
      output_tokens: 30,
      cost_usd: 0.0125,
      error: "card declined",
      trace_id: TRACE,
      start_ns: ns(1000),
      last_ns: ns(7000),
      updated_at: iso(7000),
    },
  ],
  decisions: [
    {
      span_key: 6,
      trace_id: TRACE,
      span_id: "b7ad6b7169203306",
      run_id: "task-123",
      step: 2,
      action: "refund",
      reasoning: "the customer was charged twice",
      cost_usd: null,
      ts: iso(6100),
      ts_ns: ns(6100),
      details: '{"amount":49,"currency":"EUR"}',
    },
  ],
  failures: [
    {
      span_key: 5,
      trace_id: TRACE,
      span_id: "b7ad6b7169203305",
      run_id: "task-123",
      step: 2,
      kind: "tool",
      name: "refund",
      error_type: "CardError",
      message: "card declined",
      input: '{"amount":49}',
      ts: iso(5750),
      ts_ns: ns(5750),
    },
  ],
  logs: [
    {
      log_id: "4f1c0d2e",
      trace_id: TRACE,
      span_id: "b7ad6b7169203302",
      run_id: "task-123",
      ts: iso(2100),
      ts_ns: ns(2100),
      severity_number: 9,
      severity_text: "INFO",
      body: '"fetched 42 rows"',
      attributes: "{}",
    },
  ],
};

function inserts(rows: Row[], table: string): { sql: string; values: Row[string][] }[] {
  return rows.map((row) => {
    const columns = Object.keys(row);
    return {
      sql: `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
      values: Object.values(row),
    };
  });
}

export function seedSqlite(db: Database.Database): void {
  const all = [
    ...Object.entries(TABLES).flatMap(([table, rows]) => inserts(rows, table)),
    // SQLite generates `tool` from the attributes.
    ...inserts(
      SPANS.map((row, i) => ({ span_key: i + 1, ...row })),
      "spans",
    ),
  ];
  db.transaction(() => {
    for (const { sql, values } of all) db.prepare(sql.replace(/\$\d+/g, "?")).run(...values);
  })();
}

export async function seedPostgres(client: pg.ClientBase): Promise<void> {
  const day = dayAt(STARTED);
  await createPartitions(client, [day]);
  const [first] = keyRangeOfDay(day);
  const spans = SPANS.map((row, i) => ({
    span_key: (first + BigInt(i + 1)).toString(),
    ...row,
    // PostgreSQL stores what SQLite generates.
    tool:
      row.kind === "tool"
        ? (JSON.parse(row.attributes as string) as Record<string, string>)["gen_ai.tool.name"]!
        : null,
  }));
  for (const { sql, values } of [
    ...Object.entries(TABLES).flatMap(([table, rows]) => inserts(rows, table)),
    ...inserts(spans, "spans"),
  ])
    await client.query(sql, values);
}
