import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decide, init, llm, run, shutdown, step, tool } from "@flightrec/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./postgres-database.js";
import { type ServeProcess, serveToExit, startServe, stopServe } from "./serve-process.js";

function fakeCompletion(content: string) {
  return {
    id: "chatcmpl-pg",
    object: "chat.completion",
    model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1_500, completion_tokens: 120 },
  };
}

describe("flightrec serve --store postgres://… with real SDK spans", { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let dir: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "flightrec-pg-serve-"));
    serve = await startServe(["--port", "0"], { FLIGHTREC_STORE: database.url }, dir);
    init({ serviceName: "pg-agent", endpoint: serve.url, handleProcessEvents: false });
    await run("quarterly_report", { runId: "pg-run-1", input: { quarter: "Q3" } }, async () => {
      await step("analyze", async () => {
        await llm(
          { provider: "openai", model: "gpt-4o", input: [{ role: "user", content: "Q3?" }] },
          async () => fakeCompletion("Q3 revenue is 12% below Q2."),
        );
        decide({ action: "send_email", reasoning: "found an anomaly" });
      });
      await step("notify", () => tool("send_email", { to: "cfo@example.com" }, async () => ({ sent: true })));
    });
    await run("quarterly_report", { runId: "pg-run-2" }, async () => {
      await step("parse", () =>
        tool("parse_csv", { row: 17 }, () => {
          throw new RangeError("row 17: expected 5 columns, got 3");
        }),
      );
    }).catch(() => {});
    await shutdown();
  });

  afterAll(async () => {
    if (serve) expect(await stopServe(serve.child)).toBe(0);
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it("reads the run back through the query API: status, steps, usage, decisions", async () => {
    const response = await fetch(`${serve.url}/api/runs/pg-run-1`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as {
      run: Record<string, unknown>;
      spans: { kind: string; name: string }[];
      decisions: { action: string }[];
    };
    expect(detail.run).toMatchObject({
      run_id: "pg-run-1",
      name: "quarterly_report",
      status: "ok",
      steps: 2,
      current_step: 2,
      input_tokens: 1_500,
      output_tokens: 120,
    });
    expect(detail.run.cost_usd).toBeGreaterThan(0);
    expect(detail.spans.map((s) => s.kind).sort()).toEqual(["llm", "run", "step", "step", "tool"]);
    expect(detail.decisions.map((d) => d.action)).toEqual(["send_email"]);
  });

  it("lists both runs, the failed one with its failure at its step", async () => {
    const list = (await (await fetch(`${serve.url}/api/runs?sort=name&order=asc`)).json()) as {
      runs: { run_id: string; status: string }[];
    };
    expect(list.runs.map((r) => [r.run_id, r.status]).sort()).toEqual([
      ["pg-run-1", "ok"],
      ["pg-run-2", "error"],
    ]);
    const failures = (await (await fetch(`${serve.url}/api/failures`)).json()) as {
      failures: { run_id: string; step: number; error_type: string; kind: string }[];
    };
    expect(failures.failures[0]).toMatchObject({
      run_id: "pg-run-2",
      step: 1,
      error_type: "RangeError",
      kind: "tool",
    });
  });

  it("keeps the data in PostgreSQL, readable with the README's SQL, and writes no SQLite file", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT run_id, model, input_tokens, output_tokens FROM llm_calls ORDER BY run_id",
      );
      expect(rows).toEqual([
        { run_id: "pg-run-1", model: "gpt-4o", input_tokens: "1500", output_tokens: "120" },
      ]);
      const tools = await client.query("SELECT run_id, tool, status FROM tool_calls ORDER BY run_id");
      expect(tools.rows).toEqual([
        { run_id: "pg-run-1", tool: "send_email", status: "ok" },
        { run_id: "pg-run-2", tool: "parse_csv", status: "error" },
      ]);
    } finally {
      await client.end();
    }
    expect(existsSync(join(dir, "flightrec.db"))).toBe(false);
  });
});

describe("flightrec serve --store with no PostgreSQL to reach", { timeout: 120_000 }, () => {
  it("exits 1 naming the store, its password hidden", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-pg-down-"));
    try {
      const outcome = await serveToExit(
        ["--port", "0", "--store", "postgres://agent:s3cret@127.0.0.1:1/flightrec"],
        {},
        dir,
      );
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain("cannot open the store postgres://agent:***@127.0.0.1:1/flightrec");
      expect(outcome.stderr).toMatch(/PostgreSQL store unavailable: .*ECONNREFUSED/);
      expect(outcome.stderr).not.toContain("s3cret");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a --store that is not a PostgreSQL URL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-pg-bad-"));
    try {
      const outcome = await serveToExit(["--store", "./my.db"], {}, dir);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(
        '--store must be a PostgreSQL URL (postgres://user@host:5432/database), got "./my.db"',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
