import { type RunningServer, startServer } from "@flightrec/collector";
import { init, shutdown } from "@flightrec/sdk";
import { analyzeSalesData } from "./agent.js";
import { crashAgentScript, recordKilledRun } from "./killed-run.js";

/**
 * `pnpm start`: serves Flightrec on the embedded SQLite store and records a few demo runs, then
 * keeps serving so the dashboard can be browsed. With FLIGHTREC_ENDPOINT set, it records the runs
 * in that collector instead and exits.
 */
async function main(): Promise<void> {
  const existing = process.env.FLIGHTREC_ENDPOINT?.replace(/\/+$/, "").replace(/\/v1\/traces$/, "");
  if (existing) {
    await recordDemoRuns(existing);
    console.log(`\nThe demo agent's runs are in the collector at ${existing}.`);
    console.log(`Dashboard: ${existing}/`);
    return;
  }
  const db = process.env.FLIGHTREC_DB ?? "./flightrec.db";
  const server = await startCollector(db);
  await recordDemoRuns(server.url);
  console.log(`Flightrec is running with the demo agent's runs (store: ${db}).`);
  console.log(`Dashboard: ${server.url}/`);
  console.log("Press Ctrl+C to stop.");
  stopOnSignals(server);
}

async function startCollector(db: string): Promise<RunningServer> {
  const port = Number(process.env.FLIGHTREC_PORT ?? process.env.PORT ?? 4318);
  return startServer({ db, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      console.error(
        `Port ${port} is in use. Stop what holds it, run with FLIGHTREC_PORT=<free port> pnpm start, ` +
          "or send the demo's runs to the collector already there: FLIGHTREC_ENDPOINT=<its URL> pnpm start.",
      );
      process.exit(1);
    }
    throw error;
  });
}

/** One run that succeeds, one that fails, and one killed with SIGKILL inside step 5. */
async function recordDemoRuns(endpoint: string): Promise<void> {
  init({ serviceName: "demo-agent", endpoint });
  const stamp = Date.now().toString(36);
  await analyzeSalesData({ taskId: `demo-${stamp}-ok`, quarter: "Q3" });
  await analyzeSalesData({ taskId: `demo-${stamp}-fail`, quarter: "Q3", breakReport: true }).catch(() => {});
  await shutdown();
  const killedRunId = `task-123-${stamp}`;
  await recordKilledRun(endpoint, killedRunId);
  console.log(
    `Run ${killedRunId} was killed with SIGKILL inside step 5; the dashboard shows where it stopped.`,
  );
  console.log("Resume it from its last finished step, in another terminal:");
  console.log(`  FLIGHTREC_ENDPOINT=${endpoint} node ${crashAgentScript()} --resume --run-id ${killedRunId}`);
}

/**
 * Ctrl+C reaches this process twice under `pnpm start` (from the terminal, and forwarded by pnpm):
 * the first stops the collector, later ones are ignored, so the process exits 0 and pnpm reports
 * no failure.
 */
function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
