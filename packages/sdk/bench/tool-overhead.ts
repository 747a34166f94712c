/**
 * Cost of one traced tool() call against a bare OpenTelemetry span around the same work,
 * both exported by a BatchSpanProcessor + OTLP/HTTP exporter to a sink on 127.0.0.1.
 * Time per call includes exporting (encode + send), measured up to a final flush.
 * Target: ratio <= 1.5.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { flush, init, shutdown, tool } from "../src/index.js";

const CALLS = 20_000;
const ROUNDS = 5;
const YIELD_EVERY = 500;
const QUEUE = CALLS * 2;

const sink = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

const work = (args: { a: number; b: number }) => args.a + args.b;

init({ serviceName: "bench", endpoint: url, maxQueuedSpans: QUEUE, handleProcessEvents: false });
const bareProvider = new BasicTracerProvider({
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url: `${url}/v1/traces` }), {
      maxQueueSize: QUEUE,
      scheduledDelayMillis: 200,
    }),
  ],
});
const bareTracer = bareProvider.getTracer("bare");

async function timeCalls(call: (i: number) => void, done: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    call(i);
    if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await done();
  return Number(process.hrtime.bigint() - start) / CALLS;
}

const traced = () => timeCalls((i) => tool("add", { a: i, b: 1 }, work), flush);
const bare = () =>
  timeCalls(
    (i) =>
      bareTracer.startActiveSpan("execute_tool add", (span) => {
        const result = work({ a: i, b: 1 });
        span.end();
        return result;
      }),
    () => bareProvider.forceFlush(),
  );

// Same span, carrying what tool() records (kind, operation, name, arguments, result).
const bareWithAttributes = () =>
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
  );

// Warm up both paths, then alternate rounds so drift hits both alike.
await traced();
await bare();
const tracedNs: number[] = [];
const bareNs: number[] = [];
const attrNs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  bareNs.push(await bare());
  attrNs.push(await bareWithAttributes());
  tracedNs.push(await traced());
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const t = median(tracedNs);
const b = median(bareNs);
console.log(
  `bare OTel span + same exporter: ${(b / 1000).toFixed(2)} µs/call (median of ${ROUNDS} x ${CALLS})`,
);
const a = median(attrNs);
console.log(`bare span with tool()'s attributes: ${(a / 1000).toFixed(2)} µs/call`);
console.log(`traced tool() call:             ${(t / 1000).toFixed(2)} µs/call`);
console.log(`ratio traced/bare:              ${(t / b).toFixed(2)}x (target <= 1.50x)`);
console.log(`ratio traced/bare-with-attributes: ${(t / a).toFixed(2)}x`);

await shutdown();
await bareProvider.shutdown();
sink.close();
