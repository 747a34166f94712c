/**
 * Serverless cold start: a new container pays for starting the agent process, importing the
 * SDK and init(). Each sample is a whole `node` process (start, import, set up, exit), timed
 * from spawn to exit, with its peak RSS. The two setups run in pairs, alternating which goes
 * first, so a busy machine slows both alike; the ratio printed is the median of the per-pair
 * ratios. Measures the built package (dist). Target: Flightrec within 1.10x of the hand-made
 * OpenTelemetry setup.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PAIRS = Number(process.env.COLD_START_PAIRS ?? 20);
const here = dirname(fileURLToPath(import.meta.url));
const setups = {
  flightrec: join(here, "cold-start", "flightrec.mjs"),
  handMadeOtel: join(here, "cold-start", "hand-made-otel.mjs"),
} as const;
type Setup = keyof typeof setups;

interface Sample {
  wallMs: number;
  /** User + system CPU time of the process: what it cost, whoever else wanted the cores. */
  cpuMs: number;
  rssMiB: number;
}

function coldStart(script: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const [maxRssKiB, cpuUs] = out.trim().split(" ").map(Number);
      if (code !== 0 || !Number.isFinite(maxRssKiB) || !Number.isFinite(cpuUs)) {
        reject(new Error(`${script} exited with ${code}, printed ${JSON.stringify(out)}`));
        return;
      }
      resolve({ wallMs, cpuMs: cpuUs! / 1000, rssMiB: maxRssKiB! / 1024 });
    });
  });
}

const samples: Record<Setup, Sample[]> = { flightrec: [], handMadeOtel: [] };
// One unmeasured pair warms the file cache.
await coldStart(setups.flightrec);
await coldStart(setups.handMadeOtel);
for (let pair = 0; pair < PAIRS; pair++) {
  const order: Setup[] = pair % 2 === 0 ? ["flightrec", "handMadeOtel"] : ["handMadeOtel", "flightrec"];
  for (const setup of order) samples[setup].push(await coldStart(setups[setup]));
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const range = (xs: number[], digits: number) =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
const ratio = (clock: keyof Sample) =>
  median(samples.flightrec.map((s, i) => s[clock] / samples.handMadeOtel[i]![clock]));

console.log(`cold start: ${PAIRS} pairs of whole node processes, alternating order (median, range)`);
for (const setup of Object.keys(setups) as Setup[]) {
  const wall = samples[setup].map((s) => s.wallMs);
  const cpu = samples[setup].map((s) => s.cpuMs);
  const rss = samples[setup].map((s) => s.rssMiB);
  console.log(
    `  ${setup.padEnd(14)} wall ${median(wall).toFixed(0).padStart(4)} ms (${range(wall, 0)})` +
      `   cpu ${median(cpu).toFixed(0).padStart(4)} ms (${range(cpu, 0)})` +
      `   peak RSS ${median(rss).toFixed(1)} MiB (${range(rss, 1)})`,
  );
}
console.log(
  `  flightrec / hand-made OTel: wall ${ratio("wallMs").toFixed(2)}x (target <= 1.10x), ` +
    `cpu ${ratio("cpuMs").toFixed(2)}x, peak RSS ${ratio("rssMiB").toFixed(2)}x`,
);
