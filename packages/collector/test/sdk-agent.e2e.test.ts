import { existsSync, readFileSync } from "node:fs";
import { decide, init, llm, run, shutdown, step, tool } from "@flightrec/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";

const SECRET_KEY = "sk-proj-e2eSECRETe2eSECRETe2eSECRET";
const SECRET_PASSWORD = "correct-horse-battery-staple";

/** A deterministic stand-in for the model: answers like the OpenAI chat completions API. */
function fakeCompletion(content: string) {
  return {
    id: "chatcmpl-e2e",
    object: "chat.completion",
    model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: 1_500,
      completion_tokens: 120,
      prompt_tokens_details: { cached_tokens: 500 },
      completion_tokens_details: { reasoning_tokens: 20 },
    },
  };
}

describe("SDK llm/tool/decide → collector → decisions, failures, cost", () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
    init({ serviceName: "e2e-agent", endpoint: collector.server.url, handleProcessEvents: false });

    await run(
      "analyze_sales_data",
      { runId: "task-123", input: { quarter: "Q3", apiKey: SECRET_KEY } },
      async () => {
        await step("analyze", async () => {
          await llm(
            { provider: "openai", model: "gpt-4o", input: [{ role: "user", content: `key ${SECRET_KEY}` }] },
            async () => fakeCompletion("Q3 revenue is 12% below Q2."),
          );
          decide({ action: "send_email", reasoning: "found anomaly in Q3 data" });
          decide({ action: "refund", reasoning: "charged twice", amount: 49, currency: "EUR" });
        });
        await step("notify", () =>
          tool("send_email", { to: "cfo@example.com", password: SECRET_PASSWORD }, async () => ({
            sent: true,
          })),
        );
      },
    );

    await run("analyze_sales_data", { runId: "task-124", input: { quarter: "Q4" } }, async () => {
      await step("parse", () =>
        tool("parse_csv", { file: "q4.csv", row: 17 }, () => {
          throw new RangeError("row 17: expected 5 columns, got 3");
        }),
      );
    }).catch(() => {});
    await shutdown();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it("stores the LLM span with tokens and a positive cost, and rolls them up on the run", () => {
    const [span] = collector.query<{
      model: string;
      provider: string;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number;
    }>(
      "SELECT model, provider, input_tokens, output_tokens, cost_usd FROM spans WHERE run_id = 'task-123' AND kind = 'llm'",
    );
    expect(span).toMatchObject({
      model: "gpt-4o",
      provider: "openai",
      input_tokens: 1_500,
      output_tokens: 120,
    });
    expect(span!.cost_usd).toBeCloseTo((1_000 * 2.5 + 500 * 1.25 + 120 * 10) / 1e6, 12);
    const [runRow] = collector.query<{ status: string; input_tokens: number; cost_usd: number }>(
      "SELECT status, input_tokens, cost_usd FROM runs WHERE run_id = 'task-123'",
    );
    expect(runRow).toMatchObject({ status: "ok", input_tokens: 1_500 });
    expect(runRow!.cost_usd).toBeGreaterThan(0);
  });

  it("stores the decision with its reasoning and the step's spend at that point", () => {
    const rows = collector.query(
      "SELECT step, action, reasoning, input_tokens, cost_usd FROM decisions WHERE run_id = 'task-123' ORDER BY ts",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      step: 1,
      action: "send_email",
      reasoning: "found anomaly in Q3 data",
      input_tokens: 1_500,
    });
    expect(rows[0]!.cost_usd).toBeGreaterThan(0);
  });

  it("stores a decision's extra fields as a JSON object SQL can read", () => {
    const rows = collector.query<{ action: string; details: string | null; amount: number | null }>(
      `SELECT action, details, json_extract(details, '$.amount') AS amount FROM decisions
       WHERE run_id = 'task-123' ORDER BY ts`,
    );
    expect(rows.map((r) => [r.action, r.details === null ? null : JSON.parse(r.details), r.amount])).toEqual([
      ["send_email", null, null],
      ["refund", { amount: 49, currency: "EUR" }, 49],
    ]);
  });

  it("stores the tool call with arguments and result", () => {
    const [row] = collector.query<{ name: string; input: string; output: string }>(
      "SELECT name, input, output FROM spans WHERE run_id = 'task-123' AND kind = 'tool'",
    );
    expect(row!.name).toBe("execute_tool send_email");
    expect(JSON.parse(row!.input)).toMatchObject({ to: "cfo@example.com", password: "[REDACTED]" });
    expect(JSON.parse(row!.output)).toEqual({ sent: true });
  });

  it("stores the failure with its type, message, failing input and the run's input", () => {
    const failures = collector.query<{
      kind: string;
      name: string;
      error_type: string;
      message: string;
      input: string;
      context: string;
      stack: string;
    }>(
      "SELECT kind, name, error_type, message, input, context, stack FROM failures WHERE run_id = 'task-124' AND kind = 'tool'",
    );
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({
      name: "execute_tool parse_csv",
      error_type: "RangeError",
      message: "row 17: expected 5 columns, got 3",
    });
    expect(JSON.parse(failure!.input)).toEqual({ file: "q4.csv", row: 17 });
    expect(JSON.parse(failure!.context)).toEqual({ quarter: "Q4" });
    expect(failure!.stack).toContain("RangeError");
    const [runRow] = collector.query<{ status: string }>("SELECT status FROM runs WHERE run_id = 'task-124'");
    expect(runRow!.status).toBe("error");
  });

  it("keeps a failed call's own input as its input, and the run's input only as the failure's context", () => {
    const [call] = collector.query<{ arguments: string; status: string }>(
      "SELECT arguments, status FROM tool_calls WHERE run_id = 'task-124'",
    );
    expect(call!.status).toBe("error");
    expect(JSON.parse(call!.arguments)).toEqual({ file: "q4.csv", row: 17 });
    // The step recorded no input of its own: its input is empty, not the run's.
    const [parse] = collector.query<{ status: string; input: string | null }>(
      "SELECT status, input FROM spans WHERE run_id = 'task-124' AND kind = 'step'",
    );
    expect(parse).toEqual({ status: "error", input: null });
    const [root] = collector.query<{ input: string }>(
      "SELECT input FROM spans WHERE run_id = 'task-124' AND kind = 'run'",
    );
    expect(JSON.parse(root!.input)).toEqual({ quarter: "Q4" });
  });

  it("never writes a redacted secret to the database files", () => {
    const files = [collector.dbPath, `${collector.dbPath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    // The store does hold this run's data, so the search below is meaningful.
    expect(bytes.includes(Buffer.from("found anomaly in Q3 data"))).toBe(true);
    expect(bytes.includes(Buffer.from(SECRET_KEY))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET_PASSWORD))).toBe(false);
  });
});
