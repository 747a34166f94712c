import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import {
  COLLECTOR_CLI,
  createWorkspace,
  eventually,
  runRow,
  startAgent,
  stepRows,
  type Workspace,
} from "./harness.js";

interface CollectorProcess {
  child: ChildProcess;
  url: string;
}

/** The collector as its own process, so it can be killed without warning. */
function spawnCollector(dbPath: string, port: number): Promise<CollectorProcess> {
  const child = spawn(
    process.execPath,
    [
      COLLECTOR_CLI,
      "serve",
      "--db",
      dbPath,
      "--port",
      String(port),
      "--sweep-interval-ms",
      "100",
      "--heartbeat-misses",
      "8",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`collector exited (${code}) before listening:\n${out}`)));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

let ws: Workspace;
let collector: CollectorProcess | undefined;

afterEach(async () => {
  if (collector) await killAndWait(collector.child);
  ws.remove();
});

describe("the collector restarts in the middle of a run", () => {
  it("the agent finishes, and every step the collector acknowledged is stored", async () => {
    ws = createWorkspace();
    collector = await spawnCollector(ws.dbPath, 0);
    const port = Number(new URL(collector.url).port);
    const agent = startAgent(collector.url, ["--run-id", "task-restart", "--step-delay-ms", "250"], ws);

    await eventually("step 2 to be stored", () =>
      stepRows(ws, "task-restart").some((s) => s.step_index === 2 && s.status === "ok") ? true : undefined,
    );
    await killAndWait(collector.child);
    await new Promise((resolve) => setTimeout(resolve, 700));
    collector = await spawnCollector(ws.dbPath, port);

    expect(await agent.exited).toMatchObject({ code: 0 });
    const run = await eventually("the run to finish", () => {
      const row = runRow(ws, "task-restart");
      return row?.status === "ok" ? row : undefined;
    });
    expect(run.current_step).toBe(8);

    const [root] = ws.query<{ missing: string | null }>(
      `SELECT json_extract(attributes, '$."flightrec.checkpoint.missing"') AS missing
       FROM spans WHERE run_id = 'task-restart' AND kind = 'run'`,
    );
    const notAcknowledged = new Set<number>(root?.missing ? JSON.parse(root.missing) : []);
    const stored = new Set(
      stepRows(ws, "task-restart")
        .filter((s) => s.status === "ok" && s.output !== null)
        .map((s) => s.step_index),
    );
    const acknowledged = [1, 2, 3, 4, 5, 6, 7, 8].filter((i) => !notAcknowledged.has(i));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const index of acknowledged)
      expect(stored.has(index), `acknowledged step ${index} is stored`).toBe(true);
  });
});
