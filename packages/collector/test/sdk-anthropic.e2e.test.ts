import Anthropic from "@anthropic-ai/sdk";
import { init, run, shutdown, step, wrapAnthropic } from "@flightrec/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeLlmServer } from "../../sdk/test/fake-llm-server.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

/** What the fake API reports for one call: 100 uncached + 800 cache-read + 100 cache-write in, 50 out. */
const TOKENS_IN = 1_000;
const COST = (100 * 3 + 800 * 0.3 + 100 * 3.75 + 50 * 15) / 1e6;

describe("wrapAnthropic → collector: each call stored once, with its reply", () => {
  let collector: TestCollector;
  let llmServer: FakeLlmServer;

  beforeAll(async () => {
    collector = await startTestCollector();
    llmServer = await startFakeLlmServer();
    init({ serviceName: "anthropic-agent", endpoint: collector.server.url, handleProcessEvents: false });
    const client = wrapAnthropic(
      new Anthropic({ apiKey: "sk-ant-test-0000000000", baseURL: llmServer.url, maxRetries: 0 }),
    );
    const params = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user" as const, content: "Q3?" }],
    };
    await run("answer", { runId: "anthropic-1" }, () =>
      step("ask", async () => {
        await client.messages.create(params);
        const stream = await client.messages.create({ ...params, stream: true });
        for await (const _ of stream);
      }),
    );
    await shutdown();
  });

  afterAll(async () => {
    await llmServer?.close();
    await collector?.stop();
  });

  it("stores one LLM call per request, streamed or not, each with the assembled reply", () => {
    const calls = collector.query<{ input_tokens: number; output: string | null }>(
      "SELECT input_tokens, output FROM llm_calls WHERE run_id = 'anthropic-1' ORDER BY started_at",
    );
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.input_tokens).toBe(TOKENS_IN);
      const [reply] = JSON.parse(call.output!) as { role: string; parts: unknown[] }[];
      expect(reply!.role).toBe("assistant");
      expect(reply!.parts).toContainEqual({ type: "text", content: "Send the alert." });
    }
  });

  it("counts the run's tokens and cost once", () => {
    const [row] = collector.query<{ input_tokens: number; cost_usd: number }>(
      "SELECT input_tokens, cost_usd FROM runs WHERE run_id = 'anthropic-1'",
    );
    expect(row!.input_tokens).toBe(2 * TOKENS_IN);
    expect(row!.cost_usd).toBeCloseTo(2 * COST, 12);
  });
});
