import { Worker } from "node:worker_threads";

// Plain JavaScript, evaluated: a worker file in TypeScript would need the tsx loader set up again.
const PROBER_CODE = `
const { get } = require("node:http");
const { workerData, parentPort } = require("node:worker_threads");
const probes = [];
let stopping = false;
parentPort.on("message", () => { stopping = true; });
const probe = () => {
  const started = performance.now();
  get(workerData.url + "/health", { agent: false }, (res) => {
    res.resume();
    res.on("end", () => next({ ms: performance.now() - started, status: res.statusCode }));
  }).on("error", () => next({ ms: performance.now() - started, status: 0 }));
};
const next = (result) => {
  probes.push(result);
  if (stopping) parentPort.postMessage(probes);
  else setTimeout(probe, workerData.everyMs);
};
probe();
`;

/**
 * Asks /health on a new connection, as a liveness probe does, `everyMs` after each answer: one
 * probe at a time, as one prober sends them (many at once would queue behind each other, since
 * Node accepts one connection per turn of its event loop). From a thread of its own: timed on the
 * load generator's event loop, the answers would also carry the delay of the senders' work there.
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
