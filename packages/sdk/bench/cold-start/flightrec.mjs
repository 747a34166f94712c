// One cold start of an agent process: import the SDK and call init(), as an agent's handler module does.
import { init } from "@flightrec/sdk";

init({ serviceName: "cold-start", endpoint: "http://127.0.0.1:4318" });
// What the process used, for the bench: peak RSS (KiB) and CPU time (µs).
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stdout.write(`${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
