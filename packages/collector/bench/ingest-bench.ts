import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import Database from "better-sqlite3";
import { normalizeRequest } from "../src/normalize/normalize-request.js";
import { decodeTraceRequest } from "../src/otlp/decode.js";
import { openWritableDatabase } from "../src/store/sqlite/open-database.js";
import { SpanWriter } from "../src/store/sqlite/span-writer.js";
import { durationMs, nsToIso } from "../src/store/time.js";
import { otlpProtobuf } from "../test/otlp-builder.js";
import { keepAliveAgent, post } from "./post.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const RUNS = 5_000;
const STEPS = 4; // 2 spans a step + root = 9 spans a run → 45,000 spans
const BATCH = 512;
const CONCURRENCY = 4;
const ROUNDS = 3;

type Records = ReturnType<typeof normalizeRequest>["spans"][];

/**
 * The limit: the same normalized rows inserted straight into a keyless table with no index, one
 * transaction a batch. `schema` instead inserts them into the store's own schema (span key and
 * secondary indexes), still without the run rollup, decisions or the traces table.
 */
function directInsertRate(records: Records, dir: string, schema = false): number {
  const db = schema
    ? openWritableDatabase(join(dir, "direct-schema.db"))
    : new Database(join(dir, "direct.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  if (!schema) {
    db.exec(`CREATE TABLE spans (trace_id TEXT, span_id TEXT, parent_span_id TEXT, run_id TEXT, attempt INTEGER,
    kind TEXT, name TEXT, status TEXT, started_at TEXT, ended_at TEXT, duration_ms REAL, start_ns INTEGER,
    end_ns INTEGER, step_index INTEGER, model TEXT, provider TEXT, input_tokens INTEGER, output_tokens INTEGER,
    cost_usd REAL, input TEXT, output TEXT, error TEXT, service TEXT, attributes TEXT)`);
  }
  const insert = db.prepare(
    `INSERT INTO spans (trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at,
     ended_at, duration_ms, start_ns, end_ns, step_index, model, provider, input_tokens, output_tokens, cost_usd,
     input, output, error, service, attributes) VALUES (${new Array(24).fill("?").join(", ")})`,
  );
  const write = db.transaction((batch: (typeof records)[number]) => {
    for (const s of batch) {
      insert.run(
        s.traceId,
        s.spanId,
        s.parentSpanId,
        s.runId,
        s.attempt,
        s.kind,
        s.name,
        s.status,
        nsToIso(s.startNs),
        s.endNs === null ? null : nsToIso(s.endNs),
        durationMs(s.startNs, s.endNs),
        s.startNs,
        s.endNs,
        s.stepIndex,
        s.model,
        s.provider,
        s.inputTokens,
        s.outputTokens,
        s.costUsd,
        s.input,
        s.output,
        s.errorMessage,
        s.service,
        s.attributes,
      );
    }
  });
  const spans = records.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  for (const batch of records) write(batch);
  const rate = spans / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

/** Everything the store does for a batch (SpanWriter: key, indexes, rollup, traces), minus the server. */
function storeWriteRate(records: Records, dir: string): number {
  const db = openWritableDatabase(join(dir, "writer.db"));
  const writer = new SpanWriter(db);
  const spans = records.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  for (const batch of records) writer.write(batch);
  const rate = spans / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

interface Rate {
  rate: number;
  refused: number;
  cpuUsPerSpan: number;
  clientCpuUsPerSpan: number;
}

function median(runs: Rate[]): Rate {
  return [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
}

/** µs a span of each stage of the ingest path, each run alone on this thread. */
function stageCosts(json: Buffer[], proto: Uint8Array[], records: Records, spans: number) {
  const perSpan = (work: () => void) => {
    work(); // warm up
    const started = performance.now();
    work();
    return ((performance.now() - started) * 1000) / spans;
  };
  const decoded = json.map((b) => decodeTraceRequest(b, "json"));
  return {
    decodeJson: perSpan(() => {
      for (const b of json) decodeTraceRequest(b, "json");
    }),
    decodeProtobuf: perSpan(() => {
      for (const b of proto) decodeTraceRequest(Buffer.from(b), "protobuf");
    }),
    normalize: perSpan(() => {
      for (const d of decoded) normalizeRequest(d);
    }),
    // What a decode worker's result costs to post to the writer thread: serialize, then deserialize.
    handOver: perSpan(() => {
      for (const r of records) deserialize(serialize(r));
    }),
  };
}

async function endToEndRate(
  server: ServerProcess,
  bodies: (string | Uint8Array)[],
  contentType: string,
  spansPerBody: number[],
): Promise<Rate> {
  const target = new URL("/v1/traces", server.url);
  const agent = keepAliveAgent(CONCURRENCY);
  const cpuBefore = server.cpuSeconds();
  const clientBefore = process.cpuUsage();
  let next = 0;
  let spans = 0;
  let refused = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      for (;;) {
        const status = await post(agent, target, bodies[i]!, contentType);
        if (status === 200) break;
        if (status !== 429 && status !== 503) throw new Error(`ingest answered ${status}`);
        refused++;
        await new Promise((r) => setTimeout(r, 20));
      }
      spans += spansPerBody[i]!;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  const rate = spans / ((performance.now() - started) / 1000);
  const client = process.cpuUsage(clientBefore);
  return {
    rate,
    refused,
    cpuUsPerSpan: ((server.cpuSeconds() - cpuBefore) * 1e6) / spans,
    clientCpuUsPerSpan: (client.user + client.system) / spans,
  };
}

export async function ingestBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-"));
  try {
    const requests = batches(agentSpans(RUNS, STEPS), BATCH);
    const counts = requests.map((r) => r.resourceSpans![0]!.scopeSpans![0]!.spans!.length);
    const total = counts.reduce((a, b) => a + b, 0);
    const json = requests.map((r) => Buffer.from(JSON.stringify(r)));
    const proto = requests.map(otlpProtobuf);
    // Fresh spans for each measured round, JSON and protobuf taking turns (seeds 1, 3, 5 and 2, 4, 6).
    const jsonRounds = [1, 3, 5].map((seed) =>
      batches(agentSpans(RUNS, STEPS, seed), BATCH).map((r) => Buffer.from(JSON.stringify(r))),
    );
    const protoRounds = [2, 4, 6].map((seed) =>
      batches(agentSpans(RUNS, STEPS, seed), BATCH).map(otlpProtobuf),
    );
    console.log(
      `ingest: ${total} spans in ${requests.length} requests of ${BATCH}, ${CONCURRENCY} concurrent senders`,
    );
    console.log(
      `  request size: JSON ${(json[0]!.length / counts[0]!).toFixed(0)} B/span, protobuf ${(proto[0]!.length / counts[0]!).toFixed(0)} B/span`,
    );

    const records = requests.map((r) => normalizeRequest(r).spans);
    const stages = stageCosts(json, proto, records, total);
    const limit = directInsertRate(records, dir);
    const schemaLimit = directInsertRate(records, dir, true);
    const store = storeWriteRate(records, dir);
    const server = await startServerProcess(join(dir, "store.db"));
    try {
      // Warm up the server (JIT) on the first workload, then measure fresh spans.
      await endToEndRate(server, json, "application/json", counts);
      const jsonRuns: Rate[] = [];
      const protoRuns: Rate[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        jsonRuns.push(await endToEndRate(server, jsonRounds[round]!, "application/json", counts));
        protoRuns.push(await endToEndRate(server, protoRounds[round]!, "application/x-protobuf", counts));
      }
      const j = median(jsonRuns);
      const p = median(protoRuns);
      const range = (runs: Rate[]) =>
        `${fmt(Math.min(...runs.map((r) => r.rate)))}–${fmt(Math.max(...runs.map((r) => r.rate)))}`;
      console.log(`  direct better-sqlite3 insert, bare table (limit): ${fmt(limit)} spans/s`);
      console.log(
        `  direct insert into the store schema (key + indexes): ${fmt(schemaLimit)} spans/s = ${pct(schemaLimit / limit)}`,
      );
      console.log(
        `  store writer alone (+ rollup, traces): ${fmt(store)} spans/s = ${pct(store / limit)} of the limit`,
      );
      console.log(
        `  end-to-end OTLP/JSON:     ${fmt(j.rate)} spans/s = ${pct(j.rate / limit)} of the limit (target ≥50% and ≥20,000/s), ${pct(j.rate / schemaLimit)} of the store-schema insert, ${pct(j.rate / store)} of the store writer; median of ${ROUNDS}, range ${range(jsonRuns)}`,
      );
      console.log(
        `  end-to-end OTLP/protobuf: ${fmt(p.rate)} spans/s = ${pct(p.rate / limit)} of the limit (target ≥50% and ≥20,000/s), ${pct(p.rate / schemaLimit)} of the store-schema insert, ${pct(p.rate / store)} of the store writer; median of ${ROUNDS}, range ${range(protoRuns)}`,
      );
      console.log(
        `  server CPU (all threads) per span: JSON ${j.cpuUsPerSpan.toFixed(1)} µs, protobuf ${p.cpuUsPerSpan.toFixed(1)} µs; load generator (pre-encoded bodies, node:http keep-alive): ${j.clientCpuUsPerSpan.toFixed(1)} µs, ${p.clientCpuUsPerSpan.toFixed(1)} µs`,
      );
      const writerUs = 1e6 / store;
      const serverUs = stages.decodeJson + stages.normalize + stages.handOver + writerUs;
      const budgetUs = (availableParallelism() * 1e6) / (0.5 * limit);
      console.log(
        `  CPU a span, each stage alone on one thread: decode JSON ${stages.decodeJson.toFixed(1)} µs (protobuf ${stages.decodeProtobuf.toFixed(1)}), normalize ${stages.normalize.toFixed(1)}, hand-over from decode thread to writer ${stages.handOver.toFixed(1)}, store writer ${writerUs.toFixed(1)} = ${serverUs.toFixed(1)} µs (JSON)`,
      );
      console.log(
        `  at 50% of the limit, ${availableParallelism()} cores leave ${budgetUs.toFixed(1)} µs of CPU a span for everything (these stages, HTTP, WAL checkpoints, the load generator)`,
      );
      console.log(`  server RSS after ingest: ${server.rssMiB().toFixed(0)} MiB`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
