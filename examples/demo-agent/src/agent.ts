import { run, step } from "@flightrec/sdk";

export interface SalesTask {
  taskId: string;
  quarter: string;
  /** Makes the report step fail, to show how a failed run looks. */
  breakReport?: boolean;
}

interface SalesRow {
  region: string;
  revenue: number;
}

const SALES: Record<string, SalesRow[]> = {
  Q3: [
    { region: "north", revenue: 120_000 },
    { region: "south", revenue: 98_000 },
    { region: "east", revenue: 12_000 },
    { region: "west", revenue: 131_000 },
  ],
};

/** The demo agent: fetch, analyze, decide, report. Deterministic, so every run looks the same. */
export function analyzeSalesData(task: SalesTask) {
  return run("analyze_sales_data", { runId: task.taskId, input: task }, async () => {
    const rows = await step("fetch_data", async () => {
      await pause(40);
      return SALES[task.quarter] ?? [];
    });
    const anomalies = await step("find_anomalies", async () => {
      await pause(25);
      const mean = rows.reduce((sum, r) => sum + r.revenue, 0) / Math.max(rows.length, 1);
      return rows.filter((r) => r.revenue < mean * 0.3).map((r) => r.region);
    });
    const summary = await step("summarize", async () => {
      await pause(60);
      return anomalies.length
        ? `Revenue in ${anomalies.join(", ")} fell below 30% of the mean in ${task.quarter}.`
        : `No anomalies in ${task.quarter}.`;
    });
    return step("send_report", async () => {
      await pause(30);
      if (task.breakReport) throw new Error("SMTP 550: mailbox unavailable for finance-team@example.com");
      return { sent: true, summary };
    });
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
