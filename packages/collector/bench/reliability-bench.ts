import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, pct } from "./ingest-bench.js";
import { healthLine, runOverload } from "./overload-bench.js";
import { keepAliveAgent, post } from "./post.js";
import { type OpenClients, readingEventStreams, slowUploads, stalledEventStreams } from "./raw-clients.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { median } from "./stats.js";
import { freshRunBodies } from "./workload.js";

const SENDERS = 4;
/** Root, one step and its LLM call: 170 new runs in each request of 510 spans. */
const RUNS_PER_BODY = 170;
const PHASE_SECONDS = 5;
const ROUNDS = 3;
const SLOW_UPLOADS = 100;
const STALLED_STREAMS = 300;
const READING_STREAMS = 50;
const OVERLOAD_SENDERS = 64;
const OVERLOAD_SECONDS = 15;

interface Phase {
  name: string;
  /** Opens the clients that share the collector with the senders during the phase. */
  open?: (url: string) => Promise<OpenClients>;
  /** What the issue asks of this phase: the share of the rate alone, and memory. */
  target?: string;
}

interface Sample {
  runsPerSecond: number;
  /** Server CPU (all threads) a run acknowledged: steadier than the rate when the cores are shared. */
  cpuUsPerRun: number;
  peakRssMiB: number;
  /** Live-update clients the collector dropped during the phase. */
  dropped: number;
}

const PHASES: Phase[] = [
  { name: "alone" },
  {
    name: `with ${SLOW_UPLOADS} slow uploads open`,
    open: (url) => slowUploads(url, SLOW_UPLOADS),
    target: "≥ 90%",
  },
  {
    name: `with ${STALLED_STREAMS} SSE clients not reading (asking for gzip, as browsers do)`,
    open: (url) => stalledEventStreams(url, STALLED_STREAMS, true),
    target: "≥ 80%, RSS < 300 MB = 286 MiB",
  },
  {
    name: `with ${STALLED_STREAMS} SSE clients not reading, without gzip`,
    open: (url) => stalledEventStreams(url, STALLED_STREAMS, false),
  },
  {
    name: `with ${READING_STREAMS} SSE clients reading`,
    open: (url) => readingEventStreams(url, READING_STREAMS),
  },
];

async function droppedSoFar(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^flightrec_sse_clients_dropped_total (\d+)$/m.exec(text)?.[1] ?? 0);
}

/**
 * Well-behaved senders of fresh runs for `seconds`: runs acknowledged a second. A refused
 * request is retried after a short pause, as an exporter would after Retry-After.
 */
async function ingestRate(
  server: ServerProcess,
  nextBody: () => Buffer,
  seconds: number,
): Promise<{ runsPerSecond: number; cpuUsPerRun: number }> {
  const target = new URL("/v1/traces", server.url);
  const agent = keepAliveAgent(SENDERS);
  let runs = 0;
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const until = started + seconds * 1000;
  const sender = async () => {
    let body = nextBody();
    while (performance.now() < until) {
      const status = await post(agent, target, body, "application/json");
      if (status === 200) {
        runs += RUNS_PER_BODY;
        body = nextBody();
      } else if (status === 429 || status === 503) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      } else {
        throw new Error(`ingest answered ${status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  agent.destroy();
  return {
    runsPerSecond: runs / ((performance.now() - started) / 1000),
    cpuUsPerRun: ((server.cpuSeconds() - cpuBefore) * 1e6) / runs,
  };
}

async function runPhase(server: ServerProcess, phase: Phase, nextBody: () => Buffer): Promise<Sample> {
  const droppedBefore = await droppedSoFar(server.url);
  const clients = await phase.open?.(server.url);
  let peakRssMiB = server.rssMiB();
  const sampler = setInterval(() => {
    peakRssMiB = Math.max(peakRssMiB, server.rssMiB());
  }, 50);
  try {
    const rate = await ingestRate(server, nextBody, PHASE_SECONDS);
    return { ...rate, peakRssMiB, dropped: (await droppedSoFar(server.url)) - droppedBefore };
  } finally {
    clearInterval(sampler);
    clients?.close();
  }
}

/**
 * One client must not starve the others: the ingest rate of well-behaved senders alone and beside
 * clients that misbehave (phases interleaved over rounds, medians compared), then /health under
 * overload. The collector runs as its own process, built from dist.
 */
export async function reliabilityBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-r-"));
  try {
    const server = await startServerProcess(join(dir, "store.db"));
    try {
      const make = freshRunBodies(RUNS_PER_BODY, 1);
      let seq = 0;
      const nextBody = () => make(seq++);
      await ingestRate(server, nextBody, 2); // warm-up (JIT)
      const samples = PHASES.map(() => [] as Sample[]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, phase] of PHASES.entries()) samples[i]!.push(await runPhase(server, phase, nextBody));
      }
      report(samples, server.rssMiB());
      console.log(`  ${healthLine(await runOverload(server, OVERLOAD_SENDERS, OVERLOAD_SECONDS))}`);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(samples: Sample[][], rssAfterMiB: number): void {
  const rates = samples.map((s) => s.map((x) => x.runsPerSecond));
  const cpu = samples.map((s) => median(s.map((x) => x.cpuUsPerRun)));
  const alone = median(rates[0]!);
  console.log(
    `reliability: ${SENDERS} senders of ${RUNS_PER_BODY} new runs a request, ${PHASE_SECONDS} s a phase, ${ROUNDS} rounds interleaved (median; range)`,
  );
  for (const [i, phase] of PHASES.entries()) {
    const rate = median(rates[i]!);
    const range = `${fmt(Math.min(...rates[i]!))}–${fmt(Math.max(...rates[i]!))}`;
    const ratio = i === 0 ? "" : ` = ${pct(rate / alone)} of alone`;
    const cpuRatio = i === 0 ? "" : ` (${(cpu[i]! / cpu[0]!).toFixed(2)}×)`;
    const peak = Math.max(...samples[i]!.map((s) => s.peakRssMiB));
    const dropped = samples[i]!.reduce((n, s) => n + s.dropped, 0);
    console.log(
      `  ingest ${phase.name}: ${fmt(rate)} runs/s${ratio}, peak server RSS ${peak.toFixed(0)} MiB${phase.target ? ` (target ${phase.target})` : ""}; range ${range}; server CPU ${cpu[i]!.toFixed(0)} µs a run${cpuRatio}${dropped ? `; ${dropped} clients dropped by the collector` : ""}`,
    );
  }
  console.log(`  server RSS after the clients left: ${rssAfterMiB.toFixed(0)} MiB`);
}
