import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "./collector.js";
import { type FakeResponsesServer, startFakeResponsesServer } from "./fake-responses-server.js";

/** Long enough for an agent process to start, run and be judged on a busy machine. */
const PATIENCE = { timeout: 60_000, interval: 200 } as const;

describe("an Agents SDK agent SIGKILLed inside a tool call", () => {
  let collector: TestCollector;
  let model: FakeResponsesServer;
  let child: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    model = await startFakeResponsesServer([
      { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
      { text: "Sunny in Paris" },
    ]);
    collector = await startTestCollector({ interrupts: { sweepIntervalMs: 200 } });
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await collector?.stop();
    await model?.close();
  });

  it("is reported interrupted at its step, with the cost so far", async () => {
    const script = fileURLToPath(new URL("./crash-agent.ts", import.meta.url));
    // Heartbeats every second, judged after a few missed: the verdict comes in seconds.
    child = spawn(process.execPath, ["--import", "tsx", script], {
      env: {
        ...process.env,
        FLIGHTREC_ENDPOINT: collector.url,
        MODEL_URL: model.baseURL,
        HEARTBEAT_MS: "1000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child!.once("exit", (_, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.split("\n").includes("tool started")) resolve();
      };
      child!.stdout!.on("data", onData);
      child!.stderr!.on("data", onData);
      void exited.then(() => reject(new Error(`the agent exited before its tool started:\n${output}`)));
    });
    // Inside the tool call, once the collector holds its placeholder.
    await vi.waitFor(async () => {
      const running = await collector.sql("SELECT 1 FROM spans WHERE kind = 'tool' AND status = 'running'");
      expect(running).toHaveLength(1);
    }, PATIENCE);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const run = await vi.waitFor(async () => {
      const [row] = await collector.sql<Record<string, unknown>>(
        "SELECT * FROM runs WHERE name = 'killed_workflow'",
      );
      expect(row?.status).toBe("interrupted");
      return row!;
    }, PATIENCE);
    expect(run).toMatchObject({ current_step: 1, current_step_name: "Weather agent", input_tokens: 100 });
    expect(run.cost_usd).toBeGreaterThan(0);
    expect(run.error).toMatch(/^no heartbeat since /);
    const [interruption] = await collector.sql(
      `SELECT step, step_name FROM interruptions WHERE run_id = '${run.run_id}'`,
    );
    expect(interruption).toEqual({ step: 1, step_name: "Weather agent" });
    // As for an SDK run killed inside a step: the step in flight is the failure; its open tool call
    // and the run end, interrupted, and the finished model call stays as it was.
    const failures = await collector.sql(
      `SELECT step, kind, name, error_type FROM failures WHERE run_id = '${run.run_id}'`,
    );
    expect(failures).toEqual([{ step: 1, kind: "step", name: "Weather agent", error_type: "interrupted" }]);
    const spans = await collector.sql<{ kind: string; status: string; error: string | null }>(
      `SELECT kind, status, error FROM spans WHERE run_id = '${run.run_id}' AND kind <> 'other' ORDER BY start_ns`,
    );
    expect(spans.map((s) => [s.kind, s.status, s.error?.startsWith("interrupted: ") ?? false])).toEqual([
      ["run", "error", true],
      ["step", "error", true],
      ["llm", "ok", false],
      ["tool", "error", true],
    ]);
  }, 120_000);
});
