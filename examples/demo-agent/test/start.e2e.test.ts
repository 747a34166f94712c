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

  it("has recorded the demo agent's runs, one ok and one failed", async () => {
    const body = (await (await fetch(`${url}/api/runs`)).json()) as {
      runs: { name: string; status: string; steps: number }[];
    };
    const statuses = body.runs.map((r) => r.status).sort();
    expect(statuses).toEqual(["error", "ok"]);
    for (const run of body.runs) {
      expect(run.name).toBe("analyze_sales_data");
      expect(run.steps).toBeGreaterThanOrEqual(4);
    }
  });
});
