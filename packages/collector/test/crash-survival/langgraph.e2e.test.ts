import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "../helpers.js";
import { type AgentProcess, startAgent } from "./agent-process.js";
import { type FakeOpenAi, startFakeOpenAi } from "./fake-openai.js";

/** Long enough for an agent process to start, run and be judged on a busy machine. */
const PATIENCE = { timeout: 60_000, interval: 100 } as const;

describe("a LangGraph.js agent with flightrecSpanProcessor() in its NodeTracerProvider", () => {
  let collector: TestCollector;
  let model: FakeOpenAi;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    model = await startFakeOpenAi();
    collector = await startTestCollector({ interrupts: { sweepIntervalMs: 200 } });
  });
  afterAll(async () => {
    for (const agent of agents) agent.child.kill("SIGKILL");
    await collector?.stop();
    await model?.close();
  });

  it("is reported interrupted in its tools node, with the cost so far, when SIGKILLed in the tool", async () => {
    // Heartbeats every second, judged after 3 missed: a killed agent's verdict comes in seconds.
    const agent = startAgent("./langgraph-agent.ts", ["hang"], {
      FLIGHTREC_ENDPOINT: collector.server.url,
      MODEL_URL: model.url,
      HEARTBEAT_MS: "1000",
    });
    agents.push(agent);
    await agent.printed("tool started");
    // The tools node is on record (its placeholder): the kill comes in the middle of it.
    const node = await vi.waitFor(() => {
      const row = collector.query<{ trace_id: string; span_id: string }>(
        "SELECT trace_id, span_id FROM spans WHERE name = 'tools' AND status = 'running'",
      )[0];
      if (!row) throw new Error(`the tools node is not on record yet\n${agent.output()}`);
      return row;
    }, PATIENCE);
    agent.child.kill("SIGKILL");
    expect((await agent.exited).signal).toBe("SIGKILL");
    const runId = node.trace_id;
    await vi.waitFor(
      () =>
        expect(collector.query("SELECT status FROM runs WHERE run_id = ?", runId)).toEqual([
          { status: "interrupted" },
        ]),
      PATIENCE,
    );
    const cost = collector.query<{ cost: number }>(
      "SELECT sum(cost_usd) AS cost FROM spans WHERE run_id = ? AND kind = 'llm'",
      runId,
    )[0]!.cost;
    expect(cost).toBeGreaterThan(0);
    // Step 1 was the agent node; the tools node, open at the kill, is known as step 2 only from its
    // place: OpenInference writes LangGraph's step and node on a span when it ends.
    expect(collector.query("SELECT * FROM runs WHERE run_id = ?", runId)[0]).toMatchObject({
      name: "forecast_graph",
      current_step: 2,
      current_step_name: "tools",
      cost_usd: cost,
      input_tokens: 100,
    });
    expect(collector.query("SELECT * FROM interruptions WHERE run_id = ?", runId)[0]).toMatchObject({
      step: 2,
      step_name: "tools",
      span_id: node.span_id,
      cost_usd: cost,
    });
    expect(
      collector.query("SELECT step_index, name, status FROM spans WHERE run_id = ? AND kind = 'step'", runId),
    ).toEqual([{ step_index: 1, name: "agent", status: "ok" }]);
    expect(collector.query("SELECT step, name, error_type FROM failures WHERE run_id = ?", runId)).toEqual([
      { step: 2, name: "tools", error_type: "interrupted" },
    ]);
  }, 120_000);
});
