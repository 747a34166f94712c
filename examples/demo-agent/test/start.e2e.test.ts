import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const startScript = fileURLToPath(new URL("../dist/start.js", import.meta.url));

/** What `pnpm start` runs, as a real process: collector + demo agent, on a free port. */
describe("the Quick start's start command", () => {
  let child: ChildProcess;
  let dir: string;
  let url: string;
  let output = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-start-"));
    child = spawn(process.execPath, [startScript], {
      env: { ...process.env, PORT: "0", FLIGHTREC_DB: join(dir, "demo.db") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        output = out;
        const match = /Dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (match) resolve(match[1]!);
      });
      child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
      child.once("exit", (code) => reject(new Error(`start exited with ${code} before serving:\n${out}`)));
    });
  });

  afterAll(() => {
    child?.kill("SIGTERM");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints the dashboard URL on 127.0.0.1 and serves the dashboard there", async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it("has recorded the demo agent's runs: one ok, one failed, one killed inside step 5", async () => {
    const body = (await (await fetch(`${url}/api/runs`)).json()) as {
      runs: { run_id: string; name: string; status: string; steps: number; current_step: number }[];
    };
    const statuses = body.runs.map((r) => r.status).sort();
    expect(statuses).toEqual(["error", "interrupted", "ok"]);
    for (const run of body.runs) {
      expect(run.name).toBe("analyze_sales_data");
      expect(run.steps).toBeGreaterThanOrEqual(4);
    }
    const killed = body.runs.find((r) => r.status === "interrupted")!;
    expect(killed.run_id).toMatch(/^task-123-/);
    expect(killed.current_step).toBe(5);
  });

  it("prints how to resume the killed run", () => {
    expect(output).toMatch(/--resume --run-id task-123-\w+/);
  });

  // Ctrl+C under `pnpm start` reaches the process from the terminal and again from the runner.
  it("stops with exit code 0 on Ctrl+C, even when the signal arrives twice", async () => {
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    child.kill("SIGINT");
    child.kill("SIGINT");
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
