import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "../helpers.js";
import { type AgentProcess, startAgent } from "./agent-process.js";
import { type FakeOpenAi, startFakeOpenAi } from "./fake-openai.js";

/** Long enough for an agent process to start, run and be judged on a busy machine. */
const PATIENCE = { timeout: 60_000, interval: 100 } as const;

interface RunRow {
  run_id: string;
  name: string;
  status: string;
  error: string | null;
  input_tokens: number | null;
  cost_usd: number | null;
  current_step: number | null;
  current_step_name: string | null;
}

/** A port of 127.0.0.1 nothing listens on: one the system just gave out and took back. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a Vercel AI SDK agent with flightrecSpanProcessor() in its NodeSDK", () => {
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

  const start = (mode: "hang" | "finish", where: "script" | "request" = "script") => {
    // Heartbeats every second, judged after 3 missed: a killed agent's verdict comes in seconds.
    const agent = startAgent("./vercel-agent.ts", [mode, where], {
      FLIGHTREC_ENDPOINT: collector.server.url,
      MODEL_URL: model.url,
      HEARTBEAT_MS: "1000",
    });
    agents.push(agent);
    return agent;
  };
  const runOf = (runId: string) => collector.query<RunRow>("SELECT * FROM runs WHERE run_id = ?", runId)[0];
  const spansOf = (runId: string) =>
    collector.query<{ kind: string; name: string; status: string; error: string | null }>(
      "SELECT kind, name, status, error FROM spans WHERE run_id = ? ORDER BY start_ns, kind",
      runId,
    );
  const costOfCalls = (runId: string) =>
    collector.query<{ cost: number }>(
      "SELECT sum(cost_usd) AS cost FROM spans WHERE run_id = ? AND kind = 'llm'",
      runId,
    )[0]!.cost;

  /** Starts the agent and waits until its tool call is on record (its placeholder): it is inside it. */
  async function startInToolCall(
    where: "script" | "request" = "script",
  ): Promise<{ agent: AgentProcess; traceId: string; spanId: string }> {
    const agent = start("hang", where);
    await agent.printed("tool started");
    const tool = await vi.waitFor(() => {
      const row = collector.query<{ trace_id: string; span_id: string }>(
        "SELECT trace_id, span_id FROM spans WHERE kind = 'tool' AND status = 'running' AND trace_id NOT IN (SELECT run_id FROM runs WHERE status <> 'running')",
      )[0];
      if (!row) throw new Error(`no running tool call yet\n${agent.output()}`);
      return row;
    }, PATIENCE);
    return { agent, traceId: tool.trace_id, spanId: tool.span_id };
  }

  it("is reported interrupted in its tool call, with the cost so far, when SIGKILLed there", async () => {
    const { agent, traceId, spanId } = await startInToolCall();
    agent.child.kill("SIGKILL");
    expect((await agent.exited).signal).toBe("SIGKILL");
    await vi.waitFor(() => expect(runOf(traceId)?.status).toBe("interrupted"), PATIENCE);

    const cost = costOfCalls(traceId);
    expect(cost).toBeGreaterThan(0);
    expect(runOf(traceId)).toMatchObject({ name: "forecast", input_tokens: 100, cost_usd: cost });
    expect(runOf(traceId)?.error).toMatch(/^no heartbeat since /);
    // Step 1 of the agent loop (the model call that asked for the tool, and the tool call), named by its tool.
    const [interruption] = collector.query("SELECT * FROM interruptions WHERE run_id = ?", traceId);
    expect(interruption).toMatchObject({
      step: 1,
      step_name: "weather",
      span_id: spanId,
      input: '{"city":"Paris"}',
      cost_usd: cost,
    });
    expect(runOf(traceId)).toMatchObject({ current_step: 1, current_step_name: "weather" });
    expect(
      collector.query("SELECT step, kind, name, error_type, input FROM failures WHERE run_id = ?", traceId),
    ).toEqual([
      { step: 1, kind: "tool", name: "weather", error_type: "interrupted", input: '{"city":"Paris"}' },
    ]);
    // The run span and the tool call end, interrupted; the finished model call stays as it was.
    expect(
      spansOf(traceId).map((s) => [s.kind, s.status, s.error?.startsWith("interrupted: ") ?? false]),
    ).toEqual([
      ["run", "error", true],
      ["llm", "ok", false],
      ["step", "ok", false],
      ["tool", "error", true],
    ]);
  }, 120_000);

  it("sends everything and the reason when stopped with SIGTERM", async () => {
    const { agent, traceId } = await startInToolCall();
    agent.child.kill("SIGTERM");
    // Flightrec's handler flushed, then let the signal end the process as it would have.
    expect((await agent.exited).signal).toBe("SIGTERM");
    await vi.waitFor(() => expect(runOf(traceId)?.status).toBe("interrupted"), PATIENCE);
    expect(runOf(traceId)).toMatchObject({ name: "forecast", error: "SIGTERM", input_tokens: 100 });
    expect(spansOf(traceId).map((s) => [s.kind, s.status, s.error])).toEqual([
      ["run", "error", "interrupted: SIGTERM"],
      ["llm", "ok", null],
      ["step", "ok", null],
      ["tool", "error", "interrupted: SIGTERM"],
    ]);
  }, 120_000);

  it("inside a request handler's span is stopped the same way: the agent's call is the run span", async () => {
    const { agent, traceId } = await startInToolCall("request");
    agent.child.kill("SIGTERM");
    expect((await agent.exited).signal).toBe("SIGTERM");
    await vi.waitFor(() => expect(runOf(traceId)?.status).toBe("interrupted"), PATIENCE);
    // The reason is on the agent's call, the run span the verdict reads; the request is the trace's root.
    expect(runOf(traceId)).toMatchObject({ name: "forecast", error: "SIGTERM", current_step: 1 });
    expect(
      collector.query(
        "SELECT kind, name, error FROM spans WHERE run_id = ? AND parent_span_id IS NULL",
        traceId,
      ),
    ).toEqual([{ kind: "other", name: "POST /forecast", error: "interrupted: SIGTERM" }]);
  }, 120_000);

  it("runs and exits as usual when no collector is listening", async () => {
    const closed = await unusedPort();
    const agent = startAgent("./vercel-agent.ts", ["finish"], {
      FLIGHTREC_ENDPOINT: `http://127.0.0.1:${closed}`,
      MODEL_URL: model.url,
    });
    agents.push(agent);
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(agent.output()).toContain("answer: Sunny in Paris");
  }, 120_000);

  it("keeps every span of a run that ends normally, though the script never calls shutdown", async () => {
    const agent = start("finish");
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(agent.output()).toContain("answer: Sunny in Paris");
    // All was sent before the process exited: nothing more can arrive.
    const [run] = collector.query<RunRow>("SELECT * FROM runs WHERE status = 'ok'");
    expect(run).toMatchObject({ name: "forecast", input_tokens: 300, error: null });
    expect(spansOf(run!.run_id).map((s) => [s.kind, s.status])).toEqual([
      ["run", "ok"],
      ["llm", "ok"],
      ["step", "ok"],
      ["tool", "ok"],
      ["llm", "ok"],
      ["step", "ok"],
    ]);
    expect(collector.query("SELECT steps FROM runs WHERE run_id = ?", run!.run_id)).toEqual([{ steps: 2 }]);
  }, 120_000);
});
