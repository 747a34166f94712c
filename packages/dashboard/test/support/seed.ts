import { init, run, shutdown, step } from "@flightrec/sdk";
import { decide, llmCall, sleep, toolCall } from "./agent-calls";

export const XSS_PROMPT = `Summarize this: <img src=x onerror=alert(1)> and <script>window.__pwned = true; alert(2)</script>`;

/** A support agent's runs, sent through the real SDK to the collector at `url`. */
export async function seedRuns(url: string): Promise<void> {
  init({ endpoint: url, serviceName: "support-bot", exportIntervalMs: 50 });
  try {
    await triage("ticket-ok-1", false);
    await triage("ticket-fail-2", true).catch(() => {});
    await run("nightly_report", { runId: "report-3", input: { day: "2026-11-22" } }, async () => {
      await step("collect", async () => {
        await sleep(10);
        return { tickets: 42 };
      });
    });
    await resumedRun("resumed-6");
    await run("triage_ticket", { runId: "xss-4", input: { ticket: XSS_PROMPT } }, async () => {
      await step("classify", async () => {
        await llmCall({
          model: "gpt-4o-mini",
          input: [{ role: "user", content: XSS_PROMPT }],
          output: [{ role: "assistant", parts: [{ type: "text", content: "<b>bold</b> reply" }] }],
          inputTokens: 30,
          outputTokens: 5,
          costUsd: 0.00002,
        });
        return "ok";
      });
    });
  } finally {
    await shutdown();
  }
}

function triage(runId: string, failEmail: boolean) {
  const ticket = { id: runId, text: "My invoice for October is wrong, I was charged twice." };
  return run("triage_ticket", { runId, requestId: `req-${runId}`, input: ticket }, async () => {
    await step("fetch_ticket", async () => {
      await sleep(10);
      return ticket;
    });
    const label = await step("classify", async () => {
      await llmCall({
        model: "gpt-4o",
        input: [
          { role: "system", parts: [{ type: "text", content: "You label support tickets." }] },
          { role: "user", parts: [{ type: "text", content: `Label this ticket: ${ticket.text}` }] },
        ],
        output: [{ role: "assistant", parts: [{ type: "text", content: "billing" }], finish_reason: "stop" }],
        inputTokens: 120,
        outputTokens: 3,
        costUsd: 0.0012,
      });
      decide("escalate_to_billing", "the customer reports a double charge; billing owns refunds");
      return "billing";
    });
    await step("notify", async () => {
      await toolCall(
        "send_email",
        { to: "billing@example.com", subject: `Ticket ${runId}: ${label}` },
        async () => {
          await sleep(5);
          if (failEmail) throw new Error("SMTP 550: mailbox unavailable for billing@example.com");
          return { sent: true, id: "msg-1" };
        },
      );
    });
  });
}

/** A run whose first attempt fails in its second step and whose resume replays the first. */
async function resumedRun(runId: string): Promise<void> {
  let attempt = 0;
  const agent = async () => {
    attempt++;
    await step("fetch_orders", async () => ({ orders: 3 }));
    await step("charge_card", async () => {
      if (attempt === 1) throw new Error("card processor timed out");
      return { charged: true };
    });
  };
  await run("checkout", { runId }, agent).catch(() => {});
  await run("checkout", { runId, resume: true }, agent);
}
