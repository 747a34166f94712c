/**
 * Cost of one traced tool() call against a bare OpenTelemetry span around the same work,
 * both exported by a BatchSpanProcessor + OTLP/HTTP exporter to a sink on 127.0.0.1.
 * Time per call includes exporting (encode + send), measured up to a final flush.
 * Measures the built package (dist), which is what an agent runs.
 *
 * The machine may be shared, so each round times the three variants back to back (order
 * rotating), and the ratios printed are medians of the per-round ratios: drift between
 * rounds cancels out. CPU time of the process is reported beside wall time; it does not
 * count time the process spent waiting for a core. Target: ratio <= 1.5.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { flush, init, shutdown, tool } from "../dist/index.js";

const CALLS = 10_000;
const ROUNDS = 15;
const YIELD_EVERY = 500;
const QUEUE = CALLS * 2;
const EXPORT_INTERVAL_MS = 200;

const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const work = (args: { a: number; b: number }) => args.a + args.b;

init({
  serviceName: "bench",
  endpoint: url,
  maxQueuedSpans: QUEUE,
  exportIntervalMs: EXPORT_INTERVAL_MS,
  handleProcessEvents: false,
});
const bareProvider = new BasicTracerProvider({
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }), {
      maxQueueSize: QUEUE,
      scheduledDelayMillis: EXPORT_INTERVAL_MS,
    }),
  ],
});
const bareTracer = bareProvider.getTracer("bare");

interface Cost {
  wallNs: number;
  cpuNs: number;
}

async function timeCalls(call: (i: number) => void, done: () => Promise<void>): Promise<Cost> {
  // Start each variant from a collected heap, so nobody pays for the garbage of the last.
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    call(i);
    if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await done();
  const wallNs = Number(process.hrtime.bigint() - start) / CALLS;
  const used = process.cpuUsage(cpu);
  return { wallNs, cpuNs: ((used.user + used.system) * 1000) / CALLS };
}

const variants = {
  traced: () => timeCalls((i) => tool("add", { a: i, b: 1 }, work), flush),
  bare: () =>
    timeCalls(
      (i) =>
        bareTracer.startActiveSpan("execute_tool add", (span) => {
          const result = work({ a: i, b: 1 });
          span.end();
          return result;
        }),
      () => bareProvider.forceFlush(),
    ),
  // Same span, carrying what tool() records (kind, operation, name, arguments, result).
  bareWithAttributes: () =>
    timeCalls(
      (i) =>
        bareTracer.startActiveSpan("execute_tool add", (span) => {
          const args = { a: i, b: 1 };
          span.setAttribute("flightrec.span.kind", "tool");
          span.setAttribute("gen_ai.operation.name", "execute_tool");
          span.setAttribute("gen_ai.tool.name", "add");
          span.setAttribute("gen_ai.tool.call.arguments", JSON.stringify(args));
          const result = work(args);
          span.setAttribute("gen_ai.tool.call.result", JSON.stringify(result));
          span.end();
          return result;
        }),
      () => bareProvider.forceFlush(),
    ),
};
type Variant = keyof typeof variants;
const names = Object.keys(variants) as Variant[];

// Warm up every path (JIT, sockets), then measure.
for (const name of names) await variants[name]();
const costs: Record<Variant, Cost[]> = { traced: [], bare: [], bareWithAttributes: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length]!;
    costs[name].push(await variants[name]());
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perCall = (name: Variant, clock: keyof Cost) => median(costs[name].map((c) => c[clock])) / 1000;
const ratio = (name: Variant, base: Variant, clock: keyof Cost) =>
  median(costs[name].map((c, r) => c[clock] / costs[base][r]![clock]));

console.log(`${ROUNDS} rounds x ${CALLS} calls; µs per call (median), wall / cpu`);
for (const name of names) {
  console.log(
    `  ${name.padEnd(20)} ${perCall(name, "wallNs").toFixed(2).padStart(6)} / ${perCall(name, "cpuNs").toFixed(2)}`,
  );
}
console.log("median of per-round ratios, wall / cpu");
const line = (label: string, name: Variant, base: Variant, target = "") =>
  console.log(
    `  ${label.padEnd(34)} ${ratio(name, base, "wallNs").toFixed(2)}x / ${ratio(name, base, "cpuNs").toFixed(2)}x${target}`,
  );
line("traced tool() / bare span", "traced", "bare", "  (target <= 1.50x)");
line("traced tool() / bare + attributes", "traced", "bareWithAttributes");
// What exporting tool()'s attributes costs by itself: a floor for the first ratio.
line("bare + attributes / bare span", "bareWithAttributes", "bare");

await shutdown();
await bareProvider.shutdown();
sink.close();
