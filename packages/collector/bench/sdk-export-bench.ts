/**
 * The SDK's export path under an agent server's load, against the real collector (its own
 * process, so its CPU is its own):
 * - 500 concurrent runs × 10 short steps in one agent process, checkpoints waited for: spans
 *   sent and stored (target: all), export requests a span, p95 step end → row queryable;
 * - the collector's CPU a stored span for the SDK's traffic against the same spans sent the
 *   plain OpenTelemetry way (BatchSpanProcessor + OTLP/HTTP exporter, their defaults), runs
 *   started at a steady rate so that nothing is dropped; each on its own collector, rounds
 *   taking turns, the median of the rounds' ratios (target ≤ 1.2×);
 * - with nothing listening at the endpoint: how long shutdown() takes and when the process
 *   exits after the runs (target: within 1 s beyond shutdown()'s bound).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { deadEndpoint } from "../../sdk/test/dead-endpoint.js";
import { startAgent } from "./agent-process.js";
import { fmt } from "./ingest-bench.js";
import type { AgentPlan } from "./sdk-export-agent.js";
import { stepByStepCost } from "./sdk-export-floor.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { percentile } from "./stats.js";

const CONCURRENT_RUNS = 500;
const STEPS = 10;
const STEP_MS = 5;
/** The CPU comparison: runs started at this rate, this many a round. */
const RUNS_PER_SECOND = 100;
const CPU_RUNS = 600;
const CPU_ROUNDS = 5;
/** Runs whose steps are polled for the step end → queryable delay. */
const LATENCY_SAMPLE_RUNS = 50;
const SHUTDOWN_BOUND_MS = 5_000; // init()'s default

/** /v1/traces requests answered and spans received so far, from the collector's /metrics. */
async function ingestCounters(url: string): Promise<{ requests: number; received: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let requests = 0;
  for (const m of text.matchAll(/^flightrec_http_requests_total\{route="\/v1\/traces",[^}]*\} (\d+)$/gm)) {
    requests += Number(m[1]);
  }
  const received = Number(/^flightrec_spans_received_total (\d+)$/m.exec(text)?.[1] ?? 0);
  return { requests, received };
}

interface Round {
  created: number;
  sent: number | undefined;
  stored: number;
  requests: number;
  received: number;
  cpuUsPerSpan: number;
  delaysMs: number[];
  failed: number;
  dropped: number;
}

/** Step end → first seen in the store, for the steps of the sampled runs, polled every few ms. */
function pollStepRows(db: Database.Database, service: string, until: Promise<unknown>): Promise<number[]> {
  const ids = Array.from({ length: LATENCY_SAMPLE_RUNS }, (_, i) => `${service}-${i}`);
  const select = db.prepare(
    `SELECT span_id, ended_at FROM spans WHERE run_id IN (${ids.map(() => "?").join(",")})
     AND kind = 'step' AND status = 'ok' AND output IS NOT NULL`,
  );
  const delays = new Map<string, number>();
  let done = false;
  void until.finally(() => {
    done = true;
  });
  return (async () => {
    while (!done) {
      const now = Date.now();
      for (const row of select.all(...ids) as { span_id: string; ended_at: string }[]) {
        if (!delays.has(row.span_id)) delays.set(row.span_id, Math.max(0, now - Date.parse(row.ended_at)));
      }
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    return [...delays.values()];
  })();
}

/** Waits until the store holds `expected` spans of the service, or nothing more arrives for 3 s. */
async function storedSpans(db: Database.Database, service: string, expected: number): Promise<number> {
  const count = db.prepare("SELECT count(*) AS n FROM spans WHERE service = ? AND status <> 'running'");
  let last = -1;
  let changedAt = Date.now();
  for (;;) {
    const n = (count.get(service) as { n: number }).n;
    if (n >= expected) return n;
    if (n !== last) {
      last = n;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > 3_000) return n;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measureRound(
  server: ServerProcess,
  db: Database.Database,
  plan: AgentPlan,
  withLatency: boolean,
): Promise<Round> {
  const created = plan.runs * (plan.steps + 1);
  const before = await ingestCounters(server.url);
  const cpuBefore = server.cpuSeconds();
  const agent = startAgent(plan);
  const delays = withLatency ? pollStepRows(db, plan.service, agent.exited) : Promise.resolve([]);
  await agent.exited;
  const stored = await storedSpans(db, plan.service, created);
  const cpu = server.cpuSeconds() - cpuBefore;
  const after = await ingestCounters(server.url);
  const stats = plan.mode === "flightrec" ? agent.milestone("shutdown-done").stats : undefined;
  return {
    created,
    sent: stats?.sent,
    stored,
    requests: after.requests - before.requests,
    received: after.received - before.received,
    cpuUsPerSpan: (cpu * 1e6) / stored,
    delaysMs: await delays,
    failed: stats?.failed ?? 0,
    dropped: stats?.dropped ?? 0,
  };
}

async function collectorDown(withShutdown: boolean) {
  const agent = startAgent({
    ...plan("flightrec", await deadEndpoint(), `down-${withShutdown}`),
    shutdown: withShutdown,
  });
  const exitedAt = await agent.exited;
  const runDone = agent.milestone("run-done").at;
  return {
    shutdownMs: withShutdown ? agent.milestone("shutdown-done").at - runDone : undefined,
    exitAfterRunMs: exitedAt - runDone,
  };
}

const median = (values: number[]) => percentile(values, 0.5);

function plan(
  mode: AgentPlan["mode"],
  endpoint: string,
  service: string,
  runs = CONCURRENT_RUNS,
  runsPerSecond = 0,
): AgentPlan {
  return { mode, endpoint, service, runs, steps: STEPS, stepMs: STEP_MS, runsPerSecond, shutdown: true };
}

function printLoad(round: Round): void {
  console.log(
    `  spans sent ${fmt(round.sent ?? 0)} of ${fmt(round.created)} finished, stored ${fmt(round.stored)} (target: all)` +
      `, failed ${round.failed}, dropped ${round.dropped}`,
  );
  console.log(
    `  export requests: ${fmt(round.requests)} carrying ${fmt(round.received)} spans (placeholders included)` +
      ` = ${(round.requests / round.created).toFixed(3)} requests a finished span`,
  );
  console.log(
    `  step end → row queryable: p50 ${median(round.delaysMs).toFixed(0)} ms, p95 ${percentile(round.delaysMs, 0.95).toFixed(0)} ms` +
      ` (${round.delaysMs.length} steps of ${LATENCY_SAMPLE_RUNS} sampled runs)`,
  );
}

function printCpu(ours: Round[], theirs: Round[], stepByStep: number): void {
  const ratios = ours.map((r, i) => r.cpuUsPerSpan / theirs[i]!.cpuUsPerSpan);
  const us = (of: Round[]) => median(of.map((r) => r.cpuUsPerSpan)).toFixed(1);
  const perRequest = (of: Round[]) =>
    (of.reduce((n, r) => n + r.received, 0) / of.reduce((n, r) => n + r.requests, 0)).toFixed(0);
  const stored = (of: Round[]) =>
    `${fmt(of.reduce((n, r) => n + r.stored, 0))}/${fmt(of.reduce((n, r) => n + r.created, 0))}`;
  console.log(
    `  collector CPU a stored span: flightrec ${us(ours)} µs (${perRequest(ours)} spans a request, stored ${stored(ours)})` +
      ` | plain OpenTelemetry ${us(theirs)} µs (${perRequest(theirs)} spans a request, stored ${stored(theirs)})`,
  );
  const placeholders = ours.reduce((n, r) => n + r.received, 0) / ours.reduce((n, r) => n + r.stored, 0) - 1;
  console.log(
    `  ratio ${median(ratios).toFixed(2)}× (target ≤ 1.2×; median of ${ratios.length} rounds,` +
      ` range ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)});` +
      ` placeholders add ${(placeholders * 100).toFixed(0)}% spans`,
  );
  console.log(
    `  for comparison, what receiving runs step by step costs the collector by itself: ${stepByStep.toFixed(2)}×` +
      " (the same pre-encoded spans, no placeholder: one span of each of 100 runs a request, against grouped by run)",
  );
}

export async function sdkExportBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-"));
  const ours = await startServerProcess(join(dir, "flightrec.db"));
  const theirs = await startServerProcess(join(dir, "otel.db"));
  const oursDb = new Database(join(dir, "flightrec.db"), { readonly: true });
  const theirsDb = new Database(join(dir, "otel.db"), { readonly: true });
  try {
    console.log(
      `sdk export: ${CONCURRENT_RUNS} concurrent runs × ${STEPS} steps of ${STEP_MS} ms in one agent process,` +
        " checkpoints waited for, against the collector as its own process",
    );
    // Also warms the collector up (JIT) for the CPU rounds.
    printLoad(await measureRound(ours, oursDb, plan("flightrec", ours.url, "load"), true));
    await measureRound(theirs, theirsDb, plan("otel", theirs.url, "warm-up", 100, RUNS_PER_SECOND), false);

    console.log(
      `  collector CPU: ${fmt(CPU_RUNS)} runs started at ${RUNS_PER_SECOND}/s, the same spans sent by the SDK and by plain` +
        " OpenTelemetry (BatchSpanProcessor + OTLP/HTTP exporter defaults), each to its own collector",
    );
    const ourRounds: Round[] = [];
    const theirRounds: Round[] = [];
    for (let i = 0; i < CPU_ROUNDS; i++) {
      const paced = (mode: AgentPlan["mode"], url: string) =>
        plan(mode, url, `${mode}-${i}`, CPU_RUNS, RUNS_PER_SECOND);
      ourRounds.push(await measureRound(ours, oursDb, paced("flightrec", ours.url), false));
      theirRounds.push(await measureRound(theirs, theirsDb, paced("otel", theirs.url), false));
    }
    printCpu(ourRounds, theirRounds, await stepByStepCost(theirs));

    const down = await collectorDown(true);
    const noShutdown = await collectorDown(false);
    console.log(
      `  collector down (connection refused): shutdown() took ${fmt(down.shutdownMs!)} ms (bound ${fmt(SHUTDOWN_BOUND_MS)} ms),` +
        ` the process exited ${fmt(down.exitAfterRunMs)} ms after the runs` +
        ` (target < ${fmt(SHUTDOWN_BOUND_MS + 1_000)} ms); without shutdown() ${fmt(noShutdown.exitAfterRunMs)} ms`,
    );
  } finally {
    oursDb.close();
    theirsDb.close();
    await ours.stop();
    await theirs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
