import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt } from "./ingest-bench.js";
import { keepAliveAgent, post } from "./post.js";
import { startServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const SENDERS = 48;
const SECONDS = 8;

/** Many senders with no back-off: the collector must refuse (429/503) rather than grow memory. */
export async function overloadBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-o-"));
  try {
    const bodies = batches(agentSpans(4_000, 4), 512).map((r) => JSON.stringify(r));
    const server = await startServerProcess(join(dir, "store.db"));
    const counts = { ok: 0, refused: 0, other: 0 };
    let peak = server.rssMiB();
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssMiB());
    }, 50);
    const target = new URL("/v1/traces", server.url);
    const agent = keepAliveAgent(SENDERS);
    const until = performance.now() + SECONDS * 1000;
    let next = 0;
    const sender = async () => {
      while (performance.now() < until) {
        const body = bodies[next++ % bodies.length]!;
        const status = await post(agent, target, body, "application/json");
        if (status === 200) counts.ok++;
        else if (status === 429 || status === 503) counts.refused++;
        else counts.other++;
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    clearInterval(sampler);
    agent.destroy();
    console.log(
      `overload: ${SENDERS} senders without back-off for ${SECONDS} s: ${fmt(counts.ok)} accepted, ${fmt(counts.refused)} refused (429/503), ${counts.other} other`,
    );
    console.log(`  peak server RSS ${peak.toFixed(0)} MiB (target < 300 MiB)`);
    await server.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
