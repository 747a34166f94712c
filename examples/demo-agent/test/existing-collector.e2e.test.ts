import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type RunningServer, startServer } from "@flightrec/collector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const startScript = fileURLToPath(new URL("../dist/start.js", import.meta.url));

/** `FLIGHTREC_ENDPOINT=<url> pnpm start`: the demo records into a collector that already runs. */
describe("the demo agent with FLIGHTREC_ENDPOINT", () => {
  let dir: string;
  let collector: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-demo-existing-"));
    collector = await startServer({
      db: join(dir, "existing.db"),
      port: 0,
      token: "demo-token",
      interrupts: { sweepIntervalMs: 200 },
    });
  });

  afterAll(async () => {
    await collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("records its three runs there and exits 0 without starting a collector of its own", async () => {
    const { stdout } = await run(process.execPath, [startScript], {
      env: {
        ...process.env,
        FLIGHTREC_ENDPOINT: `${collector.url}/`,
        FLIGHTREC_TOKEN: "demo-token",
        FLIGHTREC_DB: join(dir, "must-not-exist.db"),
      },
      timeout: 5 * 60_000,
    });
    expect(stdout).toContain(`Dashboard: ${collector.url}/`);
    expect(stdout).not.toContain("Press Ctrl+C");
    const response = await fetch(`${collector.url}/api/runs`, {
      headers: { authorization: "Bearer demo-token" },
    });
    const { runs } = (await response.json()) as { runs: { run_id: string; status: string }[] };
    expect(runs.map((r) => r.status).sort()).toEqual(["error", "interrupted", "ok"]);
    expect(existsSync(join(dir, "must-not-exist.db"))).toBe(false);
  });
});
