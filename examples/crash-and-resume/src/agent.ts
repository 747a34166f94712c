import { type Deadline, recordStepInput, run, step } from "@flightrec/sdk";
import { trace } from "@opentelemetry/api";
import { fakeModel } from "./fake-model.js";
import type { SideEffectLog } from "./side-effects.js";

export interface SalesTask {
  taskId: string;
  quarter: string;
  recipient: string;
}

/** How the agent dies, for the demonstration and the tests. */
export interface CrashPlan {
  /** Step index (1–8) during which the agent stops. */
  atStep?: number;
  /** `hang`: waits forever (kill it); `throw`: an uncaught exception; `reject`: an unhandled rejection. */
  mode?: "hang" | "throw" | "reject";
  /** Called once the agent is inside the crash step, e.g. to print a marker for a test. */
  onReached?: () => void;
}

export interface AgentOptions {
  resume?: boolean;
  deadline?: Deadline;
  stepEstimatesMs?: Record<string, number>;
  effects: SideEffectLog;
  crash?: CrashPlan;
  /** Called when step() returned, i.e. the step is finished (and, by default, acknowledged). */
  onStepDone?: (index: number) => void;
  /** Checkpoint waiting as in run(); false measures plain batching. */
  waitForCheckpoints?: boolean;
  /** Makes every step take at least this long, to leave room for things to happen mid-run. */
  stepDelayMs?: number;
}

const SALES = [
  { region: "north", revenue: 120_000 },
  { region: "south", revenue: 98_000 },
  { region: "east", revenue: 12_000 },
  { region: "west", revenue: 131_000 },
];

/** `analyze_sales_data`: eight steps, two model calls before the email, one decision. */
export function analyzeSalesData(task: SalesTask, options: AgentOptions) {
  const { effects } = options;
  const executed = async (index: number, name: string) => {
    effects.write(`step ${index} ${name} executed`);
    if (options.stepDelayMs) await new Promise((resolve) => setTimeout(resolve, options.stepDelayMs));
  };
  const done = async <T>(index: number, result: Promise<T>): Promise<T> => {
    const value = await result;
    options.onStepDone?.(index);
    return value;
  };
  const crashPoint = async (index: number) => {
    if (options.crash?.atStep === index) await crash(options.crash);
  };
  return run(
    "analyze_sales_data",
    {
      runId: task.taskId,
      input: task,
      resume: options.resume,
      deadline: options.deadline,
      stepEstimatesMs: options.stepEstimatesMs,
      waitForCheckpoints: options.waitForCheckpoints,
    },
    async () => {
      const rows = await done(
        1,
        step("fetch_data", async () => {
          await executed(1, "fetch_data");
          await crashPoint(1);
          return SALES;
        }),
      );
      const clean = await done(
        2,
        step("clean_data", async () => {
          await executed(2, "clean_data");
          await crashPoint(2);
          return rows.filter((r) => r.revenue > 0);
        }),
      );
      const trends = await done(
        3,
        step("analyze_trends", async () => {
          await executed(3, "analyze_trends");
          const mean = clean.reduce((sum, r) => sum + r.revenue, 0) / clean.length;
          const anomalies = clean.filter((r) => r.revenue < mean * 0.3).map((r) => r.region);
          const analysis = await fakeModel(`Explain anomalies ${anomalies.join(",")} in ${task.quarter}`, {
            input: 1200,
            output: 300,
          });
          await crashPoint(3);
          return { anomalies, analysis: analysis.text };
        }),
      );
      const summary = await done(
        4,
        step("write_summary", async () => {
          await executed(4, "write_summary");
          const out = await fakeModel(`Summarize: ${trends.analysis}`, { input: 800, output: 200 });
          trace.getActiveSpan()?.addEvent("flightrec.decision", {
            "flightrec.decision.action": "send_email",
            "flightrec.decision.reasoning": `found anomaly in ${task.quarter} data`,
          });
          await crashPoint(4);
          return out.text;
        }),
      );
      const email = await done(
        5,
        step("send_email", async () => {
          await executed(5, "send_email");
          const draft = await fakeModel(`Draft an email about: ${summary}`, { input: 400, output: 100 });
          const message = {
            to: task.recipient,
            subject: `Sales anomaly in ${task.quarter}`,
            body: draft.text,
          };
          recordStepInput(message);
          await crashPoint(5);
          effects.write(`email sent to ${message.to}`);
          return { sent: true, to: message.to };
        }),
      );
      await done(
        6,
        step("update_dashboard", async () => {
          await executed(6, "update_dashboard");
          await crashPoint(6);
          return { widgets: 3 };
        }),
      );
      const report = await done(
        7,
        step("archive_report", async () => {
          await executed(7, "archive_report");
          const out = await fakeModel(`Archive note for ${task.taskId}`, { input: 600, output: 150 });
          await crashPoint(7);
          return { path: `reports/${task.taskId}.md`, note: out.text };
        }),
      );
      return done(
        8,
        step("notify_team", async () => {
          await executed(8, "notify_team");
          await crashPoint(8);
          return { emailed: email.sent, report: report.path };
        }),
      );
    },
  );
}

async function crash(plan: CrashPlan): Promise<never> {
  plan.onReached?.();
  if (plan.mode === "throw") {
    setTimeout(() => {
      throw new Error("SMTP client crashed");
    }, 0);
  } else if (plan.mode === "reject") {
    void Promise.reject(new Error("SMTP connection reset"));
  }
  // Keeps the event loop alive until the process is killed or dies of the error above.
  setInterval(() => {}, 60_000);
  return new Promise<never>(() => {});
}
