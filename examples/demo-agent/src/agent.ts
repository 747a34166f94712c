import { decide, llm, run, step, tool } from "@flightrec/sdk";

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
      const messages = [
        { role: "system", content: "You are a sales analyst. Summarize anomalies in one sentence." },
        { role: "user", content: JSON.stringify({ quarter: task.quarter, rows, anomalies }) },
      ];
      const completion = await llm({ provider: "openai", model: "gpt-4o-mini", input: messages }, () =>
        fakeModel(task.quarter, anomalies),
      );
      const text = completion.choices[0]?.message.content ?? "";
      decide({
        action: anomalies.length ? "send_report" : "skip_report",
        reasoning: anomalies.length
          ? `${anomalies.join(", ")} revenue is under 30% of the regional mean; finance must know`
          : "all regions within normal range",
      });
      return text;
    });
    return step("send_report", () =>
      tool(
        "send_email",
        { to: "finance-team@example.com", subject: `${task.quarter} sales`, body: summary },
        async () => {
          await pause(30);
          if (task.breakReport) throw new Error("SMTP 550: mailbox unavailable for finance-team@example.com");
          return { sent: true, summary };
        },
      ),
    );
  });
}

/**
 * A deterministic stand-in for a model, answering like the OpenAI chat completions API
 * (with usage), so the demo shows tokens and cost without network access or a key.
 */
async function fakeModel(quarter: string, anomalies: string[]) {
  await pause(60);
  const content = anomalies.length
    ? `Revenue in ${anomalies.join(", ")} fell below 30% of the mean in ${quarter}.`
    : `No anomalies in ${quarter}.`;
  return {
    id: "chatcmpl-demo",
    object: "chat.completion" as const,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: 412,
      completion_tokens: 38,
      prompt_tokens_details: { cached_tokens: 128 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
