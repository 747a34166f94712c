import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/postgres-database.js";
import { spanRecord } from "../../../test/span-record.js";
import type { SpanRecord } from "../../domain.js";
import { PostgresStore } from "./postgres-store.js";

let database: TestDatabase;
const stores: PostgresStore[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
afterAll(async () => {
  await database?.drop();
});

const T0 = 1_763_900_000_000_000_000n;
const MS = 1_000_000n;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** One run's spans over two attempts (two traces): steps, model calls with usage, and the run spans. */
function runSpans(
  runId: string,
  traceByte: number,
  stepsPerAttempt: number,
): { steps: SpanRecord[]; calls: SpanRecord[] } {
  const steps: SpanRecord[] = [];
  const calls: SpanRecord[] = [];
  for (const attempt of [1, 2]) {
    const traceId = `${hex(attempt, 2)}${hex(traceByte, 2).repeat(15)}`;
    const base = { traceId, runId, attempt, parentSpanId: `${hex(attempt, 2)}${"0".repeat(14)}` };
    for (let i = 1; i <= stepsPerAttempt; i++) {
      const start = T0 + BigInt(attempt * 10_000 + i * 10) * MS;
      steps.push(
        spanRecord({
          ...base,
          spanId: `${hex(attempt, 2)}${hex(i, 14)}`,
          kind: "step",
          name: `step-${i}`,
          stepIndex: i,
          startNs: start,
          endNs: start + 5n * MS,
        }),
      );
      calls.push(
        spanRecord({
          ...base,
          // Low bits apart from the steps': spans of a trace whose IDs end alike share keys (span-key.ts).
          spanId: `${hex(attempt, 2)}ff${hex(i, 6)}${hex(0x400000 + i * 977, 6)}`,
          kind: "llm",
          name: "chat",
          inputTokens: 10,
          outputTokens: 1,
          costUsd: 0.25,
          startNs: start + MS,
          endNs: start + 4n * MS,
        }),
      );
    }
  }
  return { steps, calls };
}

function batches<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, i * size + size),
  );
}

describe("two collectors on one PostgreSQL database", () => {
  it("keep a run's totals right when they ingest its spans at the same time, re-sends included", async () => {
    const a = await PostgresStore.open(database.url);
    const b = await PostgresStore.open(database.url);
    stores.push(a, b);
    const { steps, calls } = runSpans("shared-run", 0xab, 40);
    // Steps to one collector, model calls to the other, each batch sent twice (an exporter's retry).
    const send = async (store: PostgresStore, spans: SpanRecord[]) => {
      for (const batch of batches(spans, 3)) {
        expect((await store.ingest(batch)).stored).toBe(batch.length);
        expect((await store.ingest(batch)).stored).toBe(batch.length);
      }
    };
    await Promise.all([
      send(a, steps),
      send(b, calls),
      send(a, calls.slice(0, 20)),
      send(b, steps.slice(40)),
    ]);
    const pool = await PostgresStore.open(database.url);
    stores.push(pool);
    const detail = (await pool.getRun("shared-run"))!;
    expect(detail.spans).toHaveLength(160);
    expect(detail.run).toMatchObject({
      attempts: 2,
      // The newest attempt's steps; tokens and cost over both attempts.
      steps: 40,
      current_step: 40,
      input_tokens: 800,
      output_tokens: 80,
      cost_usd: 20,
      status: "running",
    });
  });

  it("count a span sent to both at once once", async () => {
    const a = await PostgresStore.open(database.url);
    const b = await PostgresStore.open(database.url);
    stores.push(a, b);
    const { calls } = runSpans("twice-run", 0xcd, 30);
    await Promise.all(batches(calls, 5).flatMap((batch) => [a.ingest(batch), b.ingest(batch)]));
    const run = (await a.getRuns(["twice-run"]))[0]!;
    expect(run).toMatchObject({ input_tokens: 600, output_tokens: 60, cost_usd: 15 });
  });
});
