/**
 * The agent of the two-collector test, as its own process so the test can SIGKILL it: a run of
 * three steps that each make a model call, then a fourth step that never ends. It prints
 * `in step 4` once the first three steps' checkpoints were acknowledged.
 * Usage: two-collectors-agent.ts <endpoint> <runId>
 */
import { init, llm, run, step } from "@flightrec/sdk";

const [endpoint, runId] = process.argv.slice(2) as [string, string];
init({ serviceName: "two-collectors-agent", endpoint, heartbeatIntervalMs: 200, handleProcessEvents: false });

const completion = (content: string) => ({
  id: "chatcmpl-two",
  object: "chat.completion",
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1_500, completion_tokens: 120 },
});

await run("nightly_report", { runId, input: { night: "2026-12-03" } }, async () => {
  for (let i = 1; i <= 3; i++) {
    await step(`step_${i}`, async () => {
      await llm(
        { provider: "openai", model: "gpt-4o", input: [{ role: "user", content: `part ${i}?` }] },
        async () => completion(`part ${i} is fine`),
      );
      return { part: i };
    });
  }
  await step("step_4", async () => {
    console.log("in step 4");
    // Killed here: the process stays alive (the heartbeat goes on) until SIGKILL.
    setInterval(() => {}, 1_000);
    await new Promise(() => {});
  });
});
