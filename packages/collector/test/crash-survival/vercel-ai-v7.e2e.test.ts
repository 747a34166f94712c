import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "../helpers.js";
import { type AgentProcess, startAgent } from "./agent-process.js";

/** Long enough for an agent process to start, run and be judged on a busy machine. */
const PATIENCE = { timeout: 60_000, interval: 100 } as const;

describe("a Vercel AI SDK 7 agent (@ai-sdk/otel) with flightrecSpanProcessor() in its NodeSDK", () => {
  let collector: TestCollector;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    collector = await startTestCollector({ interrupts: { sweepIntervalMs: 200 } });
  });
  afterAll(async () => {
    agent?.child.kill("SIGKILL");
    await collector?.stop();
  });

  it("SIGKILLed in a tool of step 2, is stopped at step 2, named by the tool its model called", async () => {
    // Heartbeats every second, judged after 3 missed: a killed agent's verdict comes in seconds.
    agent = startAgent("./vercel7-agent.ts", [], {
      FLIGHTREC_ENDPOINT: collector.server.url,
      HEARTBEAT_MS: "1000",
    });
    await agent.printed("booking started");
    await vi.waitFor(() => {
      const tools = collector.query("SELECT 1 FROM spans WHERE kind = 'tool' AND status = 'running'");
      if (tools.length === 0) throw new Error(`the booking is not on record yet\n${agent!.output()}`);
    }, PATIENCE);
    agent.child.kill("SIGKILL");
    expect((await agent.exited).signal).toBe("SIGKILL");
    await vi.waitFor(
      () => expect(collector.query("SELECT status FROM runs")).toEqual([{ status: "interrupted" }]),
      PATIENCE,
    );
    // The step was sent as "step 2", its model call (which asked for book_flight) inside it.
    expect(collector.query("SELECT name, current_step, current_step_name FROM runs")).toEqual([
      { name: "trip", current_step: 2, current_step_name: "book_flight" },
    ]);
    expect(collector.query("SELECT step, step_name FROM interruptions")).toEqual([
      { step: 2, step_name: "book_flight" },
    ]);
    expect(
      collector.query("SELECT step_index, name FROM spans WHERE kind = 'step' ORDER BY step_index"),
    ).toEqual([
      { step_index: 1, name: "weather" },
      { step_index: 2, name: "book_flight" },
    ]);
  }, 120_000);
});
