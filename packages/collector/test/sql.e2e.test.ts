import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";

const run = (runId: string, spanId: string) =>
  JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: `${spanId}${spanId}`,
                spanId,
                name: "fetch_data",
                startTimeUnixNano: "1763900000000000000",
                endTimeUnixNano: "1763900001000000000",
                attributes: [
                  { key: "flightrec.span.kind", value: { stringValue: "step" } },
                  { key: "flightrec.run.id", value: { stringValue: runId } },
                  { key: "flightrec.step.index", value: { intValue: 1 } },
                ],
                events: [
                  {
                    name: "flightrec.decision",
                    timeUnixNano: "1763900000500000000",
                    attributes: [{ key: "flightrec.decision.action", value: { stringValue: "send_email" } }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });

describe("POST /api/sql", () => {
  let collector: TestCollector;
  const sql = (text: string) =>
    fetch(`${collector.server.url}/api/sql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sql: text }),
    });

  beforeAll(async () => {
    collector = await startTestCollector({ sqlTimeoutMs: 1_000 });
    expect((await postTraces(collector.server.url, run("task-123", "aaaaaaaaaaaaaaaa"))).status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("runs the README's query", async () => {
    const response = await sql(
      "SELECT step, action, cost_usd FROM decisions WHERE run_id = 'task-123' ORDER BY ts;",
    );
    expect(response.status).toBe(200);
    const result = (await response.json()) as { columns: string[]; rows: unknown[][]; truncated: boolean };
    expect(result).toMatchObject({
      columns: ["step", "action", "cost_usd"],
      rows: [[1, "send_email", null]],
      truncated: false,
    });
  });

  it("returns nanosecond integers exactly, as strings", async () => {
    const result = (await (await sql("SELECT start_ns FROM spans")).json()) as { rows: unknown[][] };
    expect(result.rows).toEqual([["1763900000000000000"]]);
  });

  it("caps rows and says so", async () => {
    const result = (await (
      await sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 20000) SELECT i FROM n")
    ).json()) as { rows: unknown[][]; truncated: boolean };
    expect(result.truncated).toBe(true);
    expect(result.rows).toHaveLength(10_000);
  });

  it("caps the size of a result, so huge cells cannot flood the server", async () => {
    const manyRows = await sql(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5000) SELECT hex(zeroblob(5000)) FROM n",
    );
    expect(manyRows.status).toBe(200);
    const result = (await manyRows.json()) as { rows: unknown[][]; truncated: boolean };
    expect(result.truncated).toBe(true);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(5000);
    const oneHugeCell = await sql("SELECT hex(zeroblob(20000000))");
    expect(oneHugeCell.status).toBe(400);
    expect(((await oneHugeCell.json()) as { error: string }).error).toMatch(/larger than the 32 MiB/);
  });

  it("stops a query that never ends, while ingest goes on", async () => {
    const runaway = sql(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
    );
    const ingest = await postTraces(collector.server.url, run("task-during-sql", "bbbbbbbbbbbbbbbb"));
    expect(ingest.status).toBe(200);
    const response = await runaway;
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/ran longer than the 1000 ms limit/);
    expect(collector.query("SELECT run_id FROM runs WHERE run_id = 'task-during-sql'")).toHaveLength(1);
    const after = (await (await sql("SELECT count(*) AS n FROM runs")).json()) as { rows: unknown[][] };
    expect(after.rows).toEqual([[2]]);
  });

  it.each([
    ["DELETE FROM runs", /only read-only/],
    ["UPDATE runs SET status = 'ok'", /only read-only/],
    ["INSERT INTO runs (run_id, updated_at) VALUES ('x', 'y')", /only read-only/],
    ["DROP TABLE spans", /only read-only/],
    ["ATTACH DATABASE '/tmp/evil.db' AS evil", /only read-only/],
    ["PRAGMA query_only = OFF", /only read-only/],
    ["PRAGMA journal_mode = DELETE", /only read-only/],
    ["SELECT load_extension('/tmp/evil.so')", /not authorized|no such function/],
    ["SELECT 1; DELETE FROM runs", /more than one statement/],
    ["WITH x AS (SELECT 1) DELETE FROM runs", /only read-only/],
    ["VACUUM INTO '/tmp/copy.db'", /only read-only/],
  ])("refuses %s with 400 and changes nothing", async (text, message) => {
    const before = collector.query("SELECT * FROM runs ORDER BY run_id");
    const response = await sql(text);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(collector.query("SELECT * FROM runs ORDER BY run_id")).toEqual(before);
    expect(collector.query("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
  });

  it("names a missing or malformed body", async () => {
    const response = await fetch(`${collector.server.url}/api/sql`, {
      method: "POST",
      body: JSON.stringify({}),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/"sql"/);
  });
});
