import { decide, init, llm, run, shutdown, step, tool } from "@flightrec/sdk";

export const XSS_PROMPT = `Summarize this: <img src=x onerror=alert(1)> and <script>window.__pwned = true; alert(2)</script>`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What an OpenAI chat completion returns, as a fake model on this machine answers. */
function completion(model: string, content: string, promptTokens: number, completionTokens: number) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

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
      await step("classify", () =>
        llm(
          { provider: "openai", model: "gpt-4o-mini", input: [{ role: "user", content: XSS_PROMPT }] },
          async () => {
            await sleep(15);
            return completion("gpt-4o-mini", "<b>bold</b> reply", 30, 5);
          },
        ),
      );
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
      const input = [
        { role: "system", parts: [{ type: "text", content: "You label support tickets." }] },
        { role: "user", parts: [{ type: "text", content: `Label this ticket: ${ticket.text}` }] },
      ];
      const answer = await llm({ provider: "openai", model: "gpt-4o", input }, async () => {
        await sleep(15);
        return completion("gpt-4o", "billing", 120, 3);
      });
      decide({
        action: "escalate_to_billing",
        reasoning: "the customer reports a double charge; billing owns refunds",
        refundEur: 49,
        queue: "billing-eu",
      });
      return answer.choices[0]?.message.content ?? "unknown";
    });
    await step("notify", () =>
      tool("send_email", { to: "billing@example.com", subject: `Ticket ${runId}: ${label}` }, async () => {
        await sleep(5);
        if (failEmail) throw new Error("SMTP 550: mailbox unavailable for billing@example.com");
        return { sent: true, id: "msg-1" };
      }),
    );
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
