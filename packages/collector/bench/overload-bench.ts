import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { healthProber } from "./health-prober.js";
import { fmt } from "./ingest-bench.js";
import { keepAliveAgent, post } from "./post.js";
import { type ServerProcess, startServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const SENDERS = 48;
const SECONDS = 8;
/** The pause between one /health answer and the next probe. */
const PROBE_EVERY_MS = 20;

export interface OverloadResult {
  ok: number;
  refused: number;
  other: number;
  peakRssMiB: number;
  /** Milliseconds of each /health answer, sorted. */
  health: number[];
  healthNot200: number;
}

/** `senders` senders with no back-off for `seconds`, while a prober times /health. */
export async function runOverload(
  server: ServerProcess,
  senders: number,
  seconds: number,
): Promise<OverloadResult> {
  const bodies = batches(agentSpans(4_000, 4), 512).map((r) => Buffer.from(JSON.stringify(r)));
  const result: OverloadResult = {
    ok: 0,
    refused: 0,
    other: 0,
    peakRssMiB: server.rssMiB(),
    health: [],
    healthNot200: 0,
  };
  const sampler = setInterval(() => {
    result.peakRssMiB = Math.max(result.peakRssMiB, server.rssMiB());
  }, 50);
  const target = new URL("/v1/traces", server.url);
  const agent = keepAliveAgent(senders);
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const sender = async () => {
    while (performance.now() < until) {
      const status = await post(agent, target, bodies[next++ % bodies.length]!, "application/json");
      if (status === 200) result.ok++;
      else if (status === 429 || status === 503) result.refused++;
      else result.other++;
    }
  };
  const prober = healthProber(server.url, PROBE_EVERY_MS);
  await Promise.all(Array.from({ length: senders }, sender));
  const probes = await prober.stop();
  clearInterval(sampler);
  agent.destroy();
  result.health = probes.map((p) => p.ms).sort((a, b) => a - b);
  result.healthNot200 = probes.filter((p) => p.status !== 200).length;
  return result;
}

/** The `q` quantile (0–1) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** /health latency under overload, as one line. */
export function healthLine(result: OverloadResult): string {
  const { health } = result;
  return `/health under overload: p50 ${quantile(health, 0.5).toFixed(0)} ms, p99 ${quantile(health, 0.99).toFixed(0)} ms (target < 100 ms), max ${quantile(health, 1).toFixed(0)} ms; ${health.length} probes, ${result.healthNot200} not 200`;
}

/** Many senders with no back-off: the collector must refuse (429/503) rather than grow memory. */
export async function overloadBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-o-"));
  try {
    const server = await startServerProcess(join(dir, "store.db"));
    const result = await runOverload(server, SENDERS, SECONDS);
    console.log(
      `overload: ${SENDERS} senders without back-off for ${SECONDS} s: ${fmt(result.ok)} accepted, ${fmt(result.refused)} refused (429/503), ${result.other} other`,
    );
    console.log(`  peak server RSS ${result.peakRssMiB.toFixed(0)} MiB (target < 300 MiB)`);
    console.log(`  ${healthLine(result)}`);
    await server.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
