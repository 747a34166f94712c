import { init, shutdown } from "@flightrec/sdk";
import { tripAgent } from "./trip-agent";

// A trip agent in a process of its own: `<endpoint> <run ID> <city> [<step to hang in>]`. It
// prints "inside step N" where it hangs, for the test to kill it there.
const [endpoint, runId, city, hangIn] = process.argv.slice(2);
init({ endpoint, serviceName: "trip-planner", exportIntervalMs: 50, heartbeatIntervalMs: 100 });
const hangInStep = hangIn ? Number(hangIn) : undefined;
try {
  await tripAgent(runId!, city!, { hangInStep, onHang: () => console.log(`inside step ${hangInStep}`) });
} catch (error) {
  console.log(`failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await shutdown();
}
