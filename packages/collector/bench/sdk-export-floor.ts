import type { OtlpSpan } from "../src/otlp/types.js";
import { keepAliveAgent, post } from "./post.js";
import type { ServerProcess } from "./server-process.js";
import { agentSpans, batches } from "./workload.js";

const RUNS = 1_000;
const STEPS = 4; // an LLM call in each step: 9 spans a run
const SPANS_PER_RUN = 2 * STEPS + 1;
/** Runs whose spans share each request when they arrive step by step. */
const RUNS_AT_ONCE = 100;
const ROUNDS = 3;

/**
 * What receiving runs step by step costs the collector by itself, whatever the SDK does: the
 * same pre-encoded spans (no placeholder) posted grouped by run in requests of 512, as a batch
 * processor sends finished runs, or one span of each of 100 runs a request, as checkpointed
 * steps arrive. Rounds take turns; returns the median ratio of CPU a span.
 */
export async function stepByStepCost(server: ServerProcess): Promise<number> {
  const agent = keepAliveAgent(1);
  const target = new URL("/v1/traces", server.url);
  const cpuPerSpan = async (bodies: string[]) => {
    const before = server.cpuSeconds();
    for (const body of bodies) await post(agent, target, body, "application/json");
    return ((server.cpuSeconds() - before) * 1e6) / (RUNS * SPANS_PER_RUN);
  };
  const ratios: number[] = [];
  let seed = 1_000;
  for (let round = 0; round < ROUNDS; round++) {
    const grouped = await cpuPerSpan(byRun(runsOfSpans(seed++)));
    const interleaved = await cpuPerSpan(stepByStep(runsOfSpans(seed++)));
    ratios.push(interleaved / grouped);
  }
  agent.destroy();
  return ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
}

function runsOfSpans(seed: number): OtlpSpan[][] {
  const all = [...agentSpans(RUNS, STEPS, seed)];
  return Array.from({ length: RUNS }, (_, r) => all.slice(r * SPANS_PER_RUN, (r + 1) * SPANS_PER_RUN));
}

function byRun(runs: OtlpSpan[][]): string[] {
  return batches(runs.flat(), 512).map((request) => JSON.stringify(request));
}

/** Requests of RUNS_AT_ONCE spans: the n-th span of each of RUNS_AT_ONCE runs. */
function stepByStep(runs: OtlpSpan[][]): string[] {
  const bodies: string[] = [];
  for (let first = 0; first < runs.length; first += RUNS_AT_ONCE) {
    const group = runs.slice(first, first + RUNS_AT_ONCE);
    for (let n = 0; n < SPANS_PER_RUN; n++) {
      bodies.push(
        JSON.stringify(
          batches(
            group.map((spans) => spans[n]!),
            RUNS_AT_ONCE,
          )[0],
        ),
      );
    }
  }
  return bodies;
}
