import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpExportTraceRequest } from "../src/otlp/types.js";
import { bodyOf, CONTENT_TYPE, caseOf, isClean } from "./fuzz/fuzz-cases.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { hex, otlpJson, otlpProtobuf } from "./otlp-builder.js";

/**
 * Property-based fuzzing of `POST /v1/traces` against a real collector: random valid requests
 * and mutated ones (bytes, fields, types, nesting, sizes, content types, gzip). Whatever comes
 * in, the collector answers 200, 400, 413 or 415, stays up, and what it stored before is
 * unchanged and intact. The seed is fixed so a failure reproduces (fast-check prints it with
 * the failing case); FLIGHTREC_FUZZ_SEED and FLIGHTREC_FUZZ_RUNS explore further.
 */
const SEED = Number(process.env.FLIGHTREC_FUZZ_SEED ?? 20_261_210);
const RUNS = Number(process.env.FLIGHTREC_FUZZ_RUNS ?? 150);
const MAX_BODY = 64 * 1024;
const ANSWERS = [200, 400, 413, 415];

interface Snapshot {
  rows: Record<string, string[]>;
  integrity: unknown;
}

/** Every row of every table, as text (64-bit integers exact), and SQLite's integrity check. */
function snapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const asText = (row: unknown) => JSON.stringify(row, (_key, v) => (typeof v === "bigint" ? `${v}n` : v));
    const rows = Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all().map(asText)]),
    );
    return { rows, integrity: db.pragma("integrity_check") };
  } finally {
    db.close();
  }
}

/** Two finished runs (steps, an LLM call, a decision, a failed tool) and a plain span, in both encodings. */
async function seed(url: string): Promise<void> {
  const startMs = Date.now() - 60_000;
  const runRequest = (runId: string) => {
    const traceId = hex(16);
    const rootId = hex(8);
    const stepId = hex(8);
    const run = { "flightrec.run.id": runId };
    return otlpJson([
      {
        traceId,
        spanId: rootId,
        name: "invoke_agent seeded",
        startMs,
        durationMs: 900,
        attributes: { ...run, "flightrec.span.kind": "run", "gen_ai.operation.name": "invoke_agent" },
      },
      {
        traceId,
        spanId: stepId,
        parentSpanId: rootId,
        name: "plan",
        startMs: startMs + 10,
        attributes: {
          ...run,
          "flightrec.span.kind": "step",
          "flightrec.step.index": 1,
          "flightrec.step.output": '{"ok":true}',
        },
        events: [
          {
            name: "flightrec.decision",
            atMs: startMs + 15,
            attributes: { "flightrec.decision.action": "send" },
          },
        ],
      },
      {
        traceId,
        parentSpanId: stepId,
        name: "chat gpt-4o",
        startMs: startMs + 20,
        attributes: {
          ...run,
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.input_tokens": 120,
          "gen_ai.usage.output_tokens": 30,
          "flightrec.cost.usd": 0.002,
        },
      },
      {
        traceId,
        parentSpanId: stepId,
        name: "execute_tool smtp",
        startMs: startMs + 40,
        error: "SMTP down",
        attributes: {
          ...run,
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "smtp",
          "gen_ai.tool.call.arguments": '{"to":"a@b.c"}',
        },
        events: [
          {
            name: "exception",
            atMs: startMs + 45,
            attributes: { "exception.type": "Error", "exception.message": "SMTP down" },
          },
        ],
      },
    ]);
  };
  const plain = otlpJson([{ name: "GET /health", startMs }]);
  const answers = [
    await postTraces(url, runRequest(`seed-${hex(8)}`)),
    await postTraces(url, otlpProtobuf(JSON.parse(runRequest(`seed-${hex(8)}`))), CONTENT_TYPE.protobuf),
    await postTraces(url, gzipSync(plain), CONTENT_TYPE.json, { "content-encoding": "gzip" }),
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
}

describe("POST /v1/traces under fuzzing", () => {
  let collector: TestCollector;
  let before: Snapshot;

  beforeAll(async () => {
    collector = await startTestCollector({ maxBodyBytes: MAX_BODY });
    await seed(collector.server.url);
    before = snapshot(collector.dbPath);
    expect(before.rows.spans).toHaveLength(9);
    expect(before.rows.decisions).toHaveLength(2);
    expect(before.rows.failures).toHaveLength(2);
  });
  afterAll(async () => {
    await collector.stop();
  });

  /** The IDs of the request's spans that the store does not hold. */
  function unstoredOf(request: OtlpExportTraceRequest): string[] {
    const ids = (request.resourceSpans ?? []).flatMap((rs) =>
      (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((sp) => `${sp.traceId}/${sp.spanId}`)),
    );
    const db = new Database(collector.dbPath, { readonly: true });
    try {
      const has = db.prepare("SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?");
      return ids.filter((id) => has.get(...id.split("/")) === undefined);
    } finally {
      db.close();
    }
  }

  /** The collector still takes a plain request, and every row stored before is unchanged. */
  async function expectStoreIntact(): Promise<void> {
    const probe = otlpJson([{ name: "after fuzzing", startMs: Date.now() }]);
    expect((await postTraces(collector.server.url, probe)).status).toBe(200);
    expect((await fetch(`${collector.server.url}/health`)).status).toBe(200);
    const after = snapshot(collector.dbPath);
    expect(after.integrity).toEqual([{ integrity_check: "ok" }]);
    for (const [table, rows] of Object.entries(before.rows)) {
      expect(after.rows[table], table).toEqual(expect.arrayContaining(rows));
    }
  }

  for (const encoding of ["json", "protobuf"] as const) {
    it(`answers random and mutated OTLP/${encoding} requests with 200, 400, 413 or 415 only`, async () => {
      await fc.assert(
        fc.asyncProperty(caseOf(encoding, MAX_BODY), async (c) => {
          const sent = bodyOf(c, encoding);
          const response = await fetch(`${collector.server.url}/v1/traces`, {
            method: "POST",
            headers: sent.headers,
            body: sent.body,
          });
          const answer = await response.text();
          expect(ANSWERS, answer).toContain(response.status);
          if (!isClean(c, encoding, sent, MAX_BODY)) return;
          expect(response.status, answer).toBe(200);
          // Taken whole (no partialSuccess): every span of it is in the store now.
          if (answer === "{}" || answer === "") expect(unstoredOf(sent.request)).toEqual([]);
        }),
        { seed: SEED, numRuns: RUNS },
      );
      await expectStoreIntact();
    }, 180_000);
  }
});
