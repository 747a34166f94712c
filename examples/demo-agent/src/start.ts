import { startServer } from "@flightrec/collector";
import { init, shutdown } from "@flightrec/sdk";
import { analyzeSalesData } from "./agent.js";
import { crashAgentScript, recordKilledRun } from "./killed-run.js";

/**
 * `pnpm start`: serves Flightrec on the embedded SQLite store and records a few demo runs,
 * then keeps serving so the dashboard can be browsed.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4318);
  const db = process.env.FLIGHTREC_DB ?? "./flightrec.db";
  const server = await startServer({ db, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      console.error(`Port ${port} is in use. Stop what holds it, or run with PORT=<free port> pnpm start.`);
      process.exit(1);
    }
    throw error;
  });

  init({ serviceName: "demo-agent", endpoint: server.url });
  const stamp = Date.now().toString(36);
  await analyzeSalesData({ taskId: `demo-${stamp}-ok`, quarter: "Q3" });
  await analyzeSalesData({ taskId: `demo-${stamp}-fail`, quarter: "Q3", breakReport: true }).catch(() => {});
  await shutdown();
  const killedRunId = `task-123-${stamp}`;
  await recordKilledRun(server.url, killedRunId);

  console.log(`\nFlightrec is running with the demo agent's runs (store: ${db}).`);
  console.log(
    `Run ${killedRunId} was killed with SIGKILL inside step 5; the dashboard shows where it stopped.`,
  );
  console.log("Resume it from its last finished step, in another terminal:");
  console.log(
    `  FLIGHTREC_ENDPOINT=${server.url} node ${crashAgentScript()} --resume --run-id ${killedRunId}`,
  );
  console.log(`Dashboard: ${server.url}/`);
  console.log("Press Ctrl+C to stop.");
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
