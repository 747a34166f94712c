import { Worker } from "node:worker_threads";

// Plain JavaScript, evaluated: a worker file in TypeScript would need the tsx loader set up again.
const PROBER_CODE = `
const { get } = require("node:http");
const { workerData, parentPort } = require("node:worker_threads");
const probes = [];
let pending = 0;
let stopping = false;
const done = (result) => {
  probes.push(result);
  pending--;
  if (stopping && pending === 0) parentPort.postMessage(probes);
};
const probe = () => {
  pending++;
  const started = performance.now();
  get(workerData.url + "/health", { agent: false }, (res) => {
    res.resume();
    res.on("end", () => done({ ms: performance.now() - started, status: res.statusCode }));
  }).on("error", () => done({ ms: performance.now() - started, status: 0 }));
};
const timer = setInterval(probe, workerData.everyMs);
parentPort.on("message", () => {
  stopping = true;
  clearInterval(timer);
  if (pending === 0) parentPort.postMessage(probes);
});
`;

/**
 * Asks /health every `everyMs` on a new connection, whether or not the last answer came, as a
 * liveness probe does; from a thread of its own, since timed on the load generator's event loop
 * the answers would also carry the delay of the senders' work there. `stop` waits for the answers
 * still due.
 */
export function healthProber(
  url: string,
  everyMs: number,
): { stop(): Promise<{ ms: number; status: number }[]> } {
  const worker = new Worker(PROBER_CODE, { eval: true, workerData: { url, everyMs } });
  return {
    stop: async () => {
      const probes = new Promise<{ ms: number; status: number }[]>((resolve) =>
        worker.once("message", resolve),
      );
      worker.postMessage("stop");
      const result = await probes;
      await worker.terminate();
      return result;
    },
  };
}
