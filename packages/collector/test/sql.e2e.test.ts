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

const RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";

describe("POST /api/sql", () => {
  let collector: TestCollector;
  const sql = (text: string) =>
    fetch(`${collector.server.url}/api/sql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sql: text }),
    });

  beforeAll(async () => {
    // A generous limit: these queries finish well within it however busy the machine; the
    // runaway queries below have collectors of their own.
    // A result limit of 1 MiB rather than 32: the same cut, without moving 32 MiB through the
    // query process, the server and this client, which takes its time on a busy machine.
    // Runs here send no heartbeats: a verdict must not change them under the "changes nothing"
    // checks, however long a busy machine takes to get there.
    collector = await startTestCollector({
      sqlTimeoutMs: 60_000,
      sqlMaxBytes: 1024 * 1024,
      interrupts: { defaultHeartbeatIntervalMs: 3_600_000 },
    });
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
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5000) SELECT hex(zeroblob(500)) FROM n",
    );
    expect(manyRows.status).toBe(200);
    const result = (await manyRows.json()) as { rows: unknown[][]; truncated: boolean };
    expect(result.truncated).toBe(true);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.length).toBeLessThan(5000);
    const oneHugeCell = await sql("SELECT hex(zeroblob(1000000))");
    expect(oneHugeCell.status).toBe(400);
    expect(((await oneHugeCell.json()) as { error: string }).error).toMatch(/larger than the 1 MiB/);
  });

  it("stops a query that never ends, while ingest goes on", async () => {
    const short = await startTestCollector({ sqlTimeoutMs: 1_000 });
    try {
      const runaway = post(short.server.url, { sql: RUNAWAY });
      const ingest = await postTraces(short.server.url, run("task-during-sql", "bbbbbbbbbbbbbbbb"));
      expect(ingest.status).toBe(200);
      const response = await runaway;
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /ran longer than the 1000 ms limit/,
      );
      expect(short.query("SELECT run_id FROM runs WHERE run_id = 'task-during-sql'")).toHaveLength(1);
      const after = (await (
        await post(short.server.url, { sql: "SELECT count(*) AS n FROM runs" })
      ).json()) as {
        rows: unknown[][];
      };
      expect(after.rows).toEqual([[1]]);
    } finally {
      await short.stop();
    }
  });

  it("runs two queries at once, and stops a query whose client went away so the next one runs", async () => {
    // Queries would run for ten minutes: the test ends in time only if the runaways are stopped.
    const patient = await startTestCollector({ sqlTimeoutMs: 600_000 });
    const gone = [new AbortController(), new AbortController()];
    try {
      const first = post(patient.server.url, { sql: RUNAWAY }, gone[0]!.signal).catch(() => "aborted");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const beside = await post(patient.server.url, { sql: "SELECT 1 AS one" });
      expect(((await beside.json()) as { rows: unknown[][] }).rows).toEqual([[1]]);
      const second = post(patient.server.url, { sql: RUNAWAY }, gone[1]!.signal).catch(() => "aborted");
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Both processes are busy: this one waits in line until a client leaves.
      const next = post(patient.server.url, { sql: "SELECT 2 AS two" });
      gone[0]!.abort();
      expect(await first).toBe("aborted");
      const answer = await next;
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { rows: unknown[][] }).rows).toEqual([[2]]);
      gone[1]!.abort();
      expect(await second).toBe("aborted");
    } finally {
      await patient.stop();
    }
  });

  it.each([
    ["text/plain", '{"sql": "SELECT 1"}'],
    ["application/x-www-form-urlencoded", "sql=SELECT+1"],
    [
      "multipart/form-data; boundary=x",
      '--x\r\nContent-Disposition: form-data; name="sql"\r\n\r\nSELECT 1\r\n--x--',
    ],
    ["", '{"sql": "SELECT 1"}'],
  ])(
    "refuses a %s body with 415: only JSON, which a foreign page cannot send without a preflight",
    async (type, body) => {
      const response = await fetch(`${collector.server.url}/api/sql`, {
        method: "POST",
        headers: type ? { "content-type": type } : {},
        body: type ? body : new Blob([body]),
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: string }).error).toMatch(/application\/json/);
    },
  );

  it("refuses a body over 1 MiB with 413 before parsing it, with or without a declared length", async () => {
    const huge = JSON.stringify({ sql: "SELECT 1", pad: "x".repeat(2 * 1024 * 1024) });
    const declared = await post(collector.server.url, huge);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: string }).error).toMatch(/larger than the 1 MiB limit/);
    const chunk = new TextEncoder().encode(huge.slice(0, 64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Without end: only the limit stops it.
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(`${collector.server.url}/api/sql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
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
    for (const body of [{}, { sql: "" }, "not json"]) {
      const response = await post(collector.server.url, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/"sql"/);
    }
  });
});

/** POST /api/sql with a JSON body (a string is sent as it is). */
function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/api/sql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
}
