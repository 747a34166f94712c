import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@flightrec/collector";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type GraphProcess, startGraph } from "./graph-process.js";

/** Long enough for a graph process to start, run and be judged on a busy machine. */
const PATIENCE = { timeout: 60_000, interval: 100 } as const;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe("the LangGraph sales graph with the Flightrec checkpointer, SIGKILLed during send_email", () => {
  let dir: string;
  let server: RunningServer;
  const graphs: GraphProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-langgraph-example-"));
    server = await startServer({
      db: join(dir, "store.db"),
      host: "127.0.0.1",
      port: 0,
      logger: quiet,
      interrupts: { sweepIntervalMs: 200 },
    });
  });
  afterAll(async () => {
    for (const graph of graphs) graph.child.kill("SIGKILL");
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function sql<T>(text: string): Promise<T[]> {
    const response = await fetch(`${server.url}/api/sql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sql: text }),
    });
    const { columns, rows } = (await response.json()) as { columns: string[]; rows: unknown[][] };
    return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))) as T[];
  }

  /** Runs the example to its end and returns its final state. */
  async function finish(args: string[]): Promise<unknown> {
    const graph = startGraph(args, { FLIGHTREC_ENDPOINT: server.url });
    graphs.push(graph);
    const line = await graph.printed("FINAL ");
    expect((await graph.exited).code, graph.output()).toBe(0);
    return JSON.parse(line.slice("FINAL ".length));
  }

  it("is interrupted at step 5 · send_email, then resumes on its thread without re-running a finished node", async () => {
    const effects = join(dir, "effects.log");
    // The same graph on a thread of its own, to the end, meanwhile: the state a resumed thread must reach.
    const uninterrupted = finish(["--thread", "baseline", "--effects", join(dir, "baseline.log")]);

    // Heartbeats every second, judged after 3 missed: a killed graph's verdict comes in seconds.
    const crashing = startGraph(
      ["--thread", "task-123", "--hang-in", "send_email", "--heartbeat-ms", "1000", "--effects", effects],
      { FLIGHTREC_ENDPOINT: server.url },
    );
    graphs.push(crashing);
    await crashing.printed("IN send_email");
    // The node is on record (its placeholder): the kill comes in the middle of it.
    await vi.waitFor(async () => {
      const open = await sql(
        "SELECT 1 FROM spans WHERE run_id = 'task-123' AND name = 'send_email' AND status = 'running'",
      );
      if (open.length === 0) throw new Error(`send_email is not on record yet\n${crashing.output()}`);
    }, PATIENCE);
    crashing.child.kill("SIGKILL");
    expect((await crashing.exited).signal).toBe("SIGKILL");

    const verdict = await vi.waitFor(async () => {
      const [run] = await sql<Record<string, unknown>>("SELECT * FROM runs WHERE run_id = 'task-123'");
      if (run?.status !== "interrupted") throw new Error(`not judged yet: ${JSON.stringify(run)}`);
      return run;
    }, PATIENCE);
    const [cost] = await sql<{ cost: number }>(
      "SELECT sum(cost_usd) AS cost FROM spans WHERE run_id = 'task-123' AND kind = 'llm'",
    );
    expect(cost!.cost).toBeGreaterThan(0);
    expect(verdict).toMatchObject({
      name: "analyze_sales_data",
      attempts: 1,
      current_step: 5,
      current_step_name: "send_email",
      cost_usd: cost!.cost,
    });
    expect(
      await sql("SELECT attempt, step, step_name, cost_usd FROM interruptions WHERE run_id = 'task-123'"),
    ).toEqual([{ attempt: 1, step: 5, step_name: "send_email", cost_usd: cost!.cost }]);
    // The thread's last checkpoint is the one after find_anomalies (super-step 4).
    const [latest] = await sql<{ step: number }>(
      "SELECT max(step) AS step FROM graph_checkpoints WHERE thread_id = 'task-123'",
    );
    expect(latest!.step).toBe(4);

    const resumed = await finish(["--thread", "task-123", "--resume", "--effects", effects]);
    expect(resumed).toEqual(await uninterrupted);
    // Every node did its work once: the four finished before the kill were not run again.
    expect(readFileSync(effects, "utf8").trim().split("\n")).toEqual([
      "fetch_data executed",
      "clean_data executed",
      "analyze executed",
      "find_anomalies executed",
      "send_email executed",
      "write_report executed",
    ]);
    const [run] = await sql(
      "SELECT status, attempts, current_step, current_step_name, error FROM runs WHERE run_id = 'task-123'",
    );
    expect(run).toEqual({
      status: "ok",
      attempts: 2,
      current_step: 6,
      current_step_name: "write_report",
      error: null,
    });
    expect(
      await sql(
        "SELECT attempt, step_index, name FROM spans WHERE run_id = 'task-123' AND kind = 'step' ORDER BY attempt, step_index",
      ),
    ).toEqual([
      { attempt: 1, step_index: 1, name: "fetch_data" },
      { attempt: 1, step_index: 2, name: "clean_data" },
      { attempt: 1, step_index: 3, name: "analyze" },
      { attempt: 1, step_index: 4, name: "find_anomalies" },
      { attempt: 2, step_index: 5, name: "send_email" },
      { attempt: 2, step_index: 6, name: "write_report" },
    ]);
  }, 180_000);
});
