/**
 * Where the store's share of a span goes, for the SDK's checkpointed traffic against the same
 * spans sent by a BatchSpanProcessor (sdk-export-bench compares the whole collector's CPU).
 * The requests the agent sends are recorded at the collector's door, through a proxy in front
 * of a real collector, then replayed batch by batch into a fresh store in this process, rounds
 * taking turns. It prints, a stored span: the time of each kind of statement, the store's CPU
 * (all threads, the WAL checkpointer's included) and the bytes written.
 */

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { SpanRecord } from "../src/domain.js";
import { decodeAndNormalize } from "../src/ingest/decode-normalize.js";
import { encodingOf } from "../src/otlp/decode.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { startAgent } from "./agent-process.js";
import { fmt } from "./ingest-bench.js";
import type { AgentPlan } from "./sdk-export-agent.js";
import { startServerProcess } from "./server-process.js";
import { median } from "./stats.js";

const RUNS = 600;
const RUNS_PER_SECOND = 100;
const ROUNDS = 3;

/** The statements worth telling apart, by the start of their SQL; the rest are "other". */
const STATEMENT_KINDS: [label: string, sql: RegExp][] = [
  ["span inserts", /^INSERT INTO spans /],
  ["run progress updates", /^UPDATE runs SET last_ns/],
  ["run upserts", /^INSERT INTO runs /],
  ["failure placement", /^SELECT f\.span_key/],
  ["trace directory", /\btraces\b/],
  ["span key probes", /^SELECT trace_id, span_id, status/],
  ["COMMIT", /^COMMIT$/],
  ["WAL checkpoint", /wal_checkpoint/],
];

interface Recording {
  requests: number;
  batches: SpanRecord[][];
}

interface Replay {
  storedSpans: number;
  cpuUs: number;
  bytesWritten: number;
  statementUs: Map<string, number>;
}

/** Runs the agent against a real collector through a proxy that keeps the /v1/traces bodies. */
async function record(mode: AgentPlan["mode"], dir: string): Promise<Recording> {
  const server = await startServerProcess(join(dir, `${mode}-recorded.db`));
  const upstream = new URL(server.url);
  const bodies: { body: Buffer; contentType: string | undefined }[] = [];
  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (req.url === "/v1/traces") bodies.push({ body, contentType: req.headers["content-type"] });
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as { port: number };
  try {
    await startAgent({
      mode,
      endpoint: `http://127.0.0.1:${port}`,
      service: mode,
      runs: RUNS,
      steps: 10,
      stepMs: 5,
      runsPerSecond: RUNS_PER_SECOND,
      shutdown: true,
    }).exited;
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
    await server.stop();
  }
  const batches = bodies.map(
    ({ body, contentType }) => decodeAndNormalize(body, encodingOf(contentType), "traces").spans,
  );
  return { requests: bodies.length, batches };
}

/**
 * Times every statement the store runs, by kind. The store has no timing of its own (it would
 * cost every statement in production), so the bench wraps better-sqlite3's statements, in this
 * process only; both traffics pay the same wrapper.
 */
function timeStatements(): { take(): Map<string, number> } {
  let times = new Map<string, number>();
  const kinds = new WeakMap<object, string>();
  const kindOf = (statement: { source: string }) => {
    let kind = kinds.get(statement);
    if (kind === undefined) {
      const sql = statement.source.replace(/\s+/g, " ").trim();
      kind = STATEMENT_KINDS.find(([, pattern]) => pattern.test(sql))?.[0] ?? "other";
      kinds.set(statement, kind);
    }
    return kind;
  };
  const probe = new Database(":memory:");
  const statement = Object.getPrototypeOf(probe.prepare("SELECT 1")) as Record<string, unknown>;
  probe.close();
  for (const method of ["run", "get", "all"]) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    statement[method] = function (this: { source: string }, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const kind = kindOf(this);
        times.set(kind, (times.get(kind) ?? 0) + Number(process.hrtime.bigint() - started) / 1000);
      }
    };
  }
  return {
    take: () => {
      const taken = times;
      times = new Map();
      return taken;
    },
  };
}

/** Bytes this process has caused to be written to storage so far (Linux). */
function bytesWritten(): number {
  return Number(/^write_bytes: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0);
}

async function replay(
  recording: Recording,
  dir: string,
  timer: ReturnType<typeof timeStatements>,
): Promise<Replay> {
  const path = join(dir, `replay-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
  const store = SqliteStore.open(path, { readThreads: 0 });
  timer.take();
  const bytesBefore = bytesWritten();
  const cpuBefore = process.cpuUsage();
  for (const batch of recording.batches) await store.ingest(batch);
  await store.close(); // the last WAL checkpoint belongs to the replay's cost
  const cpu = process.cpuUsage(cpuBefore);
  const written = bytesWritten() - bytesBefore;
  const statementUs = timer.take();
  const check = new Database(path, { readonly: true });
  const storedSpans = (check.prepare("SELECT count(*) AS n FROM spans").get() as { n: number }).n;
  check.close();
  rmSync(path, { force: true });
  return { storedSpans, cpuUs: cpu.user + cpu.system, bytesWritten: written, statementUs };
}

function perSpan(replays: Replay[], of: (r: Replay) => number): number {
  return median(replays.map((r) => of(r) / r.storedSpans));
}

export async function sdkTrafficStoreBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-"));
  try {
    const ours = await record("flightrec", dir);
    const theirs = await record("otel", dir);
    const spans = (r: Recording) => fmt(r.batches.reduce((n, b) => n + b.length, 0));
    console.log(
      `sdk traffic, store only: the requests of ${fmt(RUNS)} runs (${RUNS_PER_SECOND}/s, 10 steps) recorded at the` +
        ` collector's door — SDK ${ours.requests} requests, ${spans(ours)} spans; plain OpenTelemetry` +
        ` ${theirs.requests} requests, ${spans(theirs)} spans — replayed into a fresh store, ${ROUNDS} rounds each, medians`,
    );
    const timer = timeStatements();
    await replay(ours, dir, timer); // warms the store's code up for both
    const ourReplays: Replay[] = [];
    const theirReplays: Replay[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ourReplays.push(await replay(ours, dir, timer));
      theirReplays.push(await replay(theirs, dir, timer));
    }
    const row = (label: string, a: string, b: string, extra = "") =>
      console.log(`  ${label.padEnd(28)} ${a.padStart(9)} ${b.padStart(9)}${extra}`);
    row("a stored span", "SDK", "plain OTel");
    for (const kind of [...STATEMENT_KINDS.map(([label]) => label), "other"]) {
      const us = (replays: Replay[]) => perSpan(replays, (r) => r.statementUs.get(kind) ?? 0).toFixed(1);
      row(kind, `${us(ourReplays)} µs`, `${us(theirReplays)} µs`);
    }
    const cpu = [perSpan(ourReplays, (r) => r.cpuUs), perSpan(theirReplays, (r) => r.cpuUs)];
    row(
      "store CPU, all threads",
      `${cpu[0]!.toFixed(1)} µs`,
      `${cpu[1]!.toFixed(1)} µs`,
      `  ${(cpu[0]! / cpu[1]!).toFixed(2)}×`,
    );
    const kb = (replays: Replay[]) => (perSpan(replays, (r) => r.bytesWritten) / 1024).toFixed(1);
    row("bytes written", `${kb(ourReplays)} KiB`, `${kb(theirReplays)} KiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
