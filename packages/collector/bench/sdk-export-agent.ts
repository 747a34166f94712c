/**
 * The agent of the SDK export bench, as its own process: `runs` runs of `steps` steps each,
 * every step a short async call, all at once or started at `runsPerSecond`. The spans are
 * recorded by the SDK's run() and step() and sent by
 * - `flightrec`: init() with its defaults (placeholders, heartbeat, checkpoints waited for);
 * - `otel`: plain OpenTelemetry, a BatchSpanProcessor + OTLP/HTTP exporter with their
 *   defaults registered as the global provider (the same spans, no placeholder, no wait).
 * One JSON line per milestone on stdout, with `Date.now()`.
 * Usage: sdk-export-agent.ts '<AgentPlan as JSON>'
 */

import { deliveryStats, init, run, shutdown, step } from "@flightrec/sdk";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface AgentPlan {
  mode: "flightrec" | "otel";
  endpoint: string;
  service: string;
  runs: number;
  steps: number;
  /** How long each step's call takes, in ms. */
  stepMs: number;
  /** Start runs at this rate; 0: all at once. */
  runsPerSecond: number;
  /** Call shutdown() (or the provider's) after the runs. */
  shutdown: boolean;
}

const plan = JSON.parse(process.argv[2]!) as AgentPlan;
const report = (event: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, at: Date.now(), ...extra }));
const call = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the runs (all at once, or paced) and resolves when all finished. */
async function runAll(): Promise<void> {
  const runs: Promise<number>[] = [];
  const started = performance.now();
  for (let r = 0; r < plan.runs; r++) {
    if (plan.runsPerSecond > 0) {
      const due = started + (r * 1000) / plan.runsPerSecond;
      if (due > performance.now()) await call(due - performance.now());
    }
    runs.push(
      run("bench_agent", { runId: `${plan.service}-${r}`, input: { r } }, async () => {
        for (let s = 1; s <= plan.steps; s++)
          await step(`step_${s}`, () => call(plan.stepMs).then(() => ({ s })));
        return r;
      }),
    );
  }
  await Promise.all(runs);
}

async function flightrecAgent(): Promise<void> {
  init({ serviceName: plan.service, endpoint: plan.endpoint, handleProcessEvents: false });
  report("ready");
  await runAll();
  report("run-done", { stats: deliveryStats() });
  if (!plan.shutdown) return;
  await shutdown();
  report("shutdown-done", { stats: deliveryStats() });
}

async function otelAgent(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": plan.service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${plan.endpoint}/v1/traces` }))],
  });
  trace.setGlobalTracerProvider(provider);
  report("ready");
  await runAll();
  report("run-done");
  if (!plan.shutdown) return;
  await provider.shutdown();
  report("shutdown-done");
}

await (plan.mode === "flightrec" ? flightrecAgent() : otelAgent());
