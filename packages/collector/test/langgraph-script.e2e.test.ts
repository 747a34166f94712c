import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { type ScriptedChatServer, startScriptedChatServer } from "./scripted-chat-server.js";

const AGENT = fileURLToPath(new URL("./langgraph-script-agent.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("LangGraph.js traced as docs/integrations/langgraph.md says, in a script the graph's error ends", () => {
  let collector: TestCollector;
  let llm: ScriptedChatServer;
  let exit: { code: number | null; stderr: string };

  beforeAll(async () => {
    collector = await startTestCollector();
    llm = await startScriptedChatServer([
      { name: "sales_report", arguments: { quarter: "Q3" } },
      { name: "forecast_revenue", arguments: { quarter: "Q4" } },
    ]);
    const child = spawn(process.execPath, ["--import", "tsx", AGENT, collector.server.url, `${llm.url}/v1`], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    exit = await new Promise((resolve) => child.once("exit", (code) => resolve({ code, stderr })));
  });
  afterAll(async () => {
    await llm?.close();
    await collector?.stop();
  });

  it("dies of the tool's error, as an unhandled error ends a script", () => {
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("no forecast for Q4");
  });

  it("still records the run as failed at the tools step, with the failing tool's input", () => {
    const runs = collector.query<{ status: string; current_step: number; current_step_name: string }>(
      "SELECT status, current_step, current_step_name FROM runs WHERE name = 'sales-analyst'",
    );
    expect(runs).toEqual([{ status: "error", current_step: 2, current_step_name: "tools" }]);
    const failures = collector.query<{ name: string; input: string }>(
      "SELECT name, input FROM failures WHERE kind = 'tool'",
    );
    expect(failures).toEqual([{ name: "forecast_revenue", input: '"Q4"' }]);
  });
});
