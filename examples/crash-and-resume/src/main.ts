import { parseArgs } from "node:util";
import { DeadlineExceededError, init, shutdown } from "@flightrec/sdk";
import { analyzeSalesData, type CrashPlan } from "./agent.js";
import { SideEffectLog } from "./side-effects.js";

const USAGE = `Usage: node dist/main.js [--run-id task-123] [--resume] [--crash-at 5 [--crash-mode hang|throw|reject]]
                         [--deadline-ms N] [--effects ./effects.log] [--heartbeat-ms 5000] [--step-delay-ms 0]
                         [--report-steps] [--otel-defaults]
Sends to FLIGHTREC_ENDPOINT (default http://127.0.0.1:4318).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "run-id": { type: "string", default: "task-123" },
      resume: { type: "boolean", default: false },
      "crash-at": { type: "string" },
      "crash-mode": { type: "string", default: "hang" },
      "deadline-ms": { type: "string" },
      effects: { type: "string" },
      "heartbeat-ms": { type: "string" },
      "step-delay-ms": { type: "string" },
      "report-steps": { type: "boolean", default: false },
      "otel-defaults": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const otelDefaults = values["otel-defaults"];
  init({
    serviceName: "data-analyzer",
    // The comparison point: OpenTelemetry's default 5 s batch delay and no checkpoint waiting.
    exportIntervalMs: otelDefaults ? 5_000 : undefined,
    heartbeatIntervalMs: values["heartbeat-ms"] ? Number(values["heartbeat-ms"]) : undefined,
  });
  const crash: CrashPlan | undefined = values["crash-at"]
    ? {
        atStep: Number(values["crash-at"]),
        mode: values["crash-mode"] as CrashPlan["mode"],
        onReached: () => console.log(`REACHED step ${values["crash-at"]}`),
      }
    : undefined;
  const startedAt = Date.now();
  const deadlineMs = values["deadline-ms"] ? Number(values["deadline-ms"]) : undefined;
  try {
    const result = await analyzeSalesData(
      { taskId: values["run-id"], quarter: "Q3", recipient: "finance-team@example.com" },
      {
        resume: values.resume,
        effects: new SideEffectLog(values.effects),
        crash,
        waitForCheckpoints: !otelDefaults,
        onStepDone: values["report-steps"] ? (index) => console.log(`STEP_DONE ${index}`) : undefined,
        stepDelayMs: values["step-delay-ms"] ? Number(values["step-delay-ms"]) : undefined,
        // A 15-minute serverless limit in miniature; sending the email is known to take long.
        deadline: deadlineMs === undefined ? undefined : () => startedAt + deadlineMs - Date.now(),
        stepEstimatesMs: deadlineMs === undefined ? undefined : { send_email: deadlineMs * 2 },
      },
    );
    console.log(`DONE ${JSON.stringify(result)}`);
    return 0;
  } catch (error) {
    if (error instanceof DeadlineExceededError) {
      console.log(`DEADLINE ${error.runId}: ${error.message}`);
      return 3;
    }
    throw error;
  } finally {
    await shutdown();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
