import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startAgent } from "./crash-survival/agent-process.js";
import { otlpJson } from "./otlp-builder.js";
import { createTestDatabase, type TestDatabase } from "./postgres-database.js";
import { metric } from "./raw-http.js";
import { type ServeProcess, startServe, stopServe } from "./serve-process.js";
import { startSplittingProxy } from "./span-splitting-proxy.js";

/** Verdicts within about a second of the agent's last heartbeat (200 ms apart). */
const SERVE_ARGS = ["--port", "0", "--heartbeat-misses", "3", "--sweep-interval-ms", "100"];

interface SpanId {
  traceId: string;
  spanId: string;
}

/** How many rows each span has in `spans`; IDs given more than once are asked for once. */
async function rowsOf(db: pg.Client, spans: SpanId[]): Promise<Map<string, number>> {
  const unique = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
  const { rows } = await db.query<{ trace_id: string; span_id: string; n: string }>(
    `SELECT t.trace_id, t.span_id,
            (SELECT count(*) FROM spans s WHERE s.trace_id = t.trace_id AND s.span_id = t.span_id) AS n
     FROM unnest($1::text[], $2::text[]) AS t(trace_id, span_id)`,
    [[...unique.values()].map((s) => s.traceId), [...unique.values()].map((s) => s.spanId)],
  );
  return new Map(rows.map((r) => [`${r.trace_id}/${r.span_id}`, Number(r.n)]));
}

describe("two collectors on one PostgreSQL database", { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let dir: string;
  let a: ServeProcess;
  let b: ServeProcess;
  let db: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "flightrec-two-collectors-"));
    [a, b] = await Promise.all([
      startServe(SERVE_ARGS, { FLIGHTREC_STORE: database.url }, dir),
      startServe(SERVE_ARGS, { FLIGHTREC_STORE: database.url }, dir),
    ]);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    for (const serve of [a, b]) if (serve) await stopServe(serve.child);
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it("a killed run whose steps went to one and model calls to the other: one verdict at its step, its totals, each acknowledged span once", async () => {
    const proxy = await startSplittingProxy(a.url, b.url);
    try {
      const agent = startAgent("../two-collectors-agent.ts", [proxy.url, "split-run"], {});
      await agent.printed("in step 4");
      // Killed once a heartbeat has told a collector it is in step 4 (a step is sent when it ends or beats).
      await vi.waitFor(
        async () => {
          const { rows } = await db.query(
            "SELECT 1 FROM spans WHERE run_id = 'split-run' AND name = 'step_4'",
          );
          expect(rows).toHaveLength(1);
        },
        { timeout: 30_000, interval: 50 },
      );
      agent.child.kill("SIGKILL");
      await agent.exited;

      await vi.waitFor(
        async () => {
          const { rows } = await db.query("SELECT status FROM runs WHERE run_id = 'split-run'");
          expect(rows[0]?.status).toBe("interrupted");
        },
        { timeout: 60_000, interval: 100 },
      );
      // Both collectors judged the run (each sweeps); the verdict is one.
      const interruptions = await db.query(
        "SELECT attempt, step, step_name FROM interruptions WHERE run_id = 'split-run'",
      );
      expect(interruptions.rows).toEqual([{ attempt: 1, step: 4, step_name: "step_4" }]);

      // The model calls went to one collector, the steps to the other: the run adds up all of them.
      expect(await metric(a.url, "flightrec_spans_stored_total")).toBeGreaterThan(0);
      expect(await metric(b.url, "flightrec_spans_stored_total")).toBeGreaterThan(0);
      const llm = await db.query(
        "SELECT count(*)::int AS calls, sum(cost_usd) AS cost FROM spans WHERE run_id = 'split-run' AND kind = 'llm'",
      );
      expect(llm.rows[0].calls).toBe(3);
      for (const serve of [a, b]) {
        const detail = (await (await fetch(`${serve.url}/api/runs/split-run`)).json()) as {
          run: Record<string, unknown>;
        };
        expect(detail.run).toMatchObject({
          status: "interrupted",
          current_step: 4,
          current_step_name: "step_4",
          input_tokens: 4_500,
          output_tokens: 360,
        });
        expect(detail.run.cost_usd).toBeCloseTo(Number(llm.rows[0].cost), 12);
        expect(detail.run.cost_usd).toBeGreaterThan(0);
      }

      expect(proxy.acknowledged.length).toBeGreaterThan(0);
      const rows = await rowsOf(db, proxy.acknowledged);
      expect([...rows].filter(([, n]) => n !== 1)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("a collector killed mid-ingest loses no span it acknowledged, and the other goes on", async () => {
    const requests = Array.from({ length: 400 }, (_, r) => {
      const traceId = randomBytes(16).toString("hex");
      const spans = Array.from({ length: 20 }, (_, s) => ({
        traceId,
        spanId: randomBytes(8).toString("hex"),
        name: `tool_${s}`,
        startMs: Date.now() + s,
        attributes: { "flightrec.run.id": `load-${r}`, "flightrec.span.kind": "tool" },
      }));
      return {
        body: otlpJson(spans, "load"),
        spans: spans.map(({ traceId, spanId }) => ({ traceId, spanId })),
      };
    });
    const acknowledged: SpanId[] = [];
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        try {
          const response = await fetch(`${a.url}/v1/traces`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: request.body,
          });
          await response.arrayBuffer();
          if (response.status === 200) acknowledged.push(...request.spans);
        } catch {
          return; // the collector is gone
        }
        if (!killed && acknowledged.length >= 40 * 20) {
          killed = true;
          a.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40 * 20);
    expect(acknowledged.length).toBeLessThan(requests.length * 20);

    const rows = await rowsOf(db, acknowledged);
    expect(rows.size).toBe(acknowledged.length);
    expect([...rows].filter(([, n]) => n !== 1)).toEqual([]);

    // The other collector still takes spans, and reads what the dead one committed.
    const late = { traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex") };
    const response = await fetch(`${b.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: otlpJson([
        { ...late, name: "after", startMs: Date.now(), attributes: { "flightrec.run.id": "late" } },
      ]),
    });
    expect(response.status).toBe(200);
    expect((await rowsOf(db, [late])).get(`${late.traceId}/${late.spanId}`)).toBe(1);
    const first = acknowledged[0]!;
    const detail = await fetch(`${b.url}/api/runs/load-0`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as { spans: { span_id: string }[] }).spans.map((s) => s.span_id)).toContain(
      first.spanId,
    );
  });
});
