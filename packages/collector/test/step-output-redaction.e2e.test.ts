import { existsSync, readFileSync } from "node:fs";
import { flush, init, REDACTED, run, shutdown, step } from "@flightrec/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

const SECRET_KEY = "sk-proj-stepSECRETstepSECRETstepSECRET";
const RUN_ID = "redacted-step-1";

/** Which steps executed (not replayed), by attempt. */
const executed: string[][] = [[], []];

/** Three steps; the second returns a secret, the third fails on the first attempt. */
function agent(attempt: number) {
  return run("login_agent", { runId: RUN_ID, resume: attempt > 0 }, async () => {
    const rows = await step("fetch", () => {
      executed[attempt]!.push("fetch");
      return { rows: 2, marker: "fetched-rows-e2e" };
    });
    const login = await step("login", () => {
      executed[attempt]!.push("login");
      return { user: "ada", apiKey: SECRET_KEY };
    });
    await step("report", () => {
      executed[attempt]!.push("report");
      if (attempt === 0) throw new Error("report service unavailable");
      return { sent: true };
    });
    return { rows: rows.rows, user: login.user };
  });
}

describe("a step that returns a secret → redacted checkpoint → resume runs it again", () => {
  let collector: TestCollector;
  let resumed: unknown;

  beforeAll(async () => {
    collector = await startTestCollector();
    init({ serviceName: "e2e-redaction", endpoint: collector.server.url, handleProcessEvents: false });
    await agent(0).catch(() => {});
    await flush();
    resumed = await agent(1);
    await shutdown();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it("stores the step's output redacted and flagged", () => {
    const rows = collector.query<{ attempt: number; output: string; attributes: string }>(
      "SELECT attempt, output, attributes FROM spans WHERE run_id = ? AND name = 'login' ORDER BY attempt",
      RUN_ID,
    );
    expect(rows.map((r) => r.attempt)).toEqual([1, 2]);
    for (const row of rows) {
      expect(JSON.parse(row.output)).toEqual({ user: "ada", apiKey: REDACTED });
      expect(JSON.parse(row.attributes)["flightrec.step.output_redacted"]).toBe(true);
    }
  });

  it("answers the checkpoints with the redacted flag per step", async () => {
    const res = await fetch(`${collector.server.url}/api/runs/${RUN_ID}/checkpoints`);
    const body = (await res.json()) as { steps: { name: string; attempt: number; redacted: boolean }[] };
    expect(body.steps.map((s) => [s.name, s.attempt, s.redacted])).toEqual([
      ["fetch", 1, false],
      ["login", 2, true],
      ["report", 2, false],
    ]);
  });

  it("re-executes the redacted step on resume while replaying the clean step before it", () => {
    expect(executed).toEqual([
      ["fetch", "login", "report"],
      ["login", "report"],
    ]);
    expect(resumed).toEqual({ rows: 2, user: "ada" });
    const steps = collector.query<{ name: string; replayed: number | null }>(
      `SELECT name, json_extract(attributes, '$."flightrec.step.replayed"') AS replayed FROM spans
       WHERE run_id = ? AND kind = 'step' AND attempt = 2 ORDER BY step_index`,
      RUN_ID,
    );
    expect(steps).toEqual([
      { name: "fetch", replayed: 1 },
      { name: "login", replayed: null },
      { name: "report", replayed: null },
    ]);
  });

  it("never writes the secret to the database files", () => {
    const files = [collector.dbPath, `${collector.dbPath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    // The store does hold this run's step outputs, so the search below is meaningful.
    expect(bytes.includes(Buffer.from("fetched-rows-e2e"))).toBe(true);
    expect(bytes.includes(Buffer.from(SECRET_KEY))).toBe(false);
    expect(bytes.includes(Buffer.from("stepSECRET"))).toBe(false);
  });
});
