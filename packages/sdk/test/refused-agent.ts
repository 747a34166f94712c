/**
 * A small agent whose collector endpoint refuses connections (nothing listens there). Prints
 * one JSON line per milestone, with `Date.now()`, so the test can see where time went.
 * Usage: node --import tsx refused-agent.ts <endpoint> <boundMs> [--no-shutdown]
 */
import { deliveryStats, init, run, shutdown, step } from "../src/index.js";

const [endpoint, boundArg, mode] = process.argv.slice(2);
const boundMs = Number(boundArg);
const report = (event: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, at: Date.now(), ...extra }));

const warnings: string[] = [];
console.warn = (...args: unknown[]) => {
  warnings.push(args.map(String).join(" "));
};

// Every bound far above what a refused connection should cost.
init({
  endpoint,
  checkpointTimeoutMs: boundMs,
  exportTimeoutMs: boundMs * 10,
  shutdownTimeoutMs: boundMs,
  handleProcessEvents: false,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await run("offline_agent", { runId: "refused-run" }, async () => {
  const started = Date.now();
  await step("first", async () => {
    await sleep(20);
    return 1;
  });
  report("first-step-returned", { tookMs: Date.now() - started });
  for (let i = 2; i <= 4; i++) await step(`step_${i}`, async () => sleep(20).then(() => i));
});
report("run-done");
if (mode !== "--no-shutdown") {
  await shutdown();
  report("shutdown-done", { stats: deliveryStats(), warnings });
} else {
  process.on("exit", () => report("exit", { warnings }));
}
