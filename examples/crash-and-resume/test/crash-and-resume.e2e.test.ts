import type { RunningServer } from "@flightrec/collector";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createWorkspace,
  eventually,
  runRow,
  SILENCE_THRESHOLD_MS,
  startAgent,
  startCollector,
  stepRows,
  type Workspace,
} from "./harness.js";

const STEPS = [
  "fetch_data",
  "clean_data",
  "analyze_trends",
  "write_summary",
  "send_email",
  "update_dashboard",
  "archive_report",
  "notify_team",
];
/** Fake model at $2.50 / $10 per million tokens: steps 3 and 4, and step 5's draft. */
const COST_BEFORE_EMAIL_SENT = 0.006 + 0.004 + 0.002;
const COST_OF_STEPS_5_TO_8 = 0.002 + 0.003;

let ws: Workspace;
let collector: RunningServer;

beforeEach(async () => {
  ws = createWorkspace();
  collector = await startCollector(ws.dbPath);
});

afterEach(async () => {
  await collector.close();
  ws.remove();
});

/** Runs the agent until it is inside step 5, with steps 1–4 checkpointed, and returns it. */
async function agentInsideStep5(runId: string, mode = "hang") {
  const agent = startAgent(collector.url, ["--run-id", runId, "--crash-at", "5", "--crash-mode", mode], ws);
  await agent.waitFor("REACHED step 5");
  return agent;
}

function expectStepsOneToFourCheckpointed(runId: string) {
  const finished = stepRows(ws, runId).filter((s) => s.attempt === 1 && s.status === "ok");
  expect(finished.map((s) => s.name)).toEqual(STEPS.slice(0, 4));
  for (const s of finished) expect(JSON.parse(s.output!)).not.toBeNull();
}

async function expectInterruptedAtStep5(runId: string, reason: RegExp) {
  const run = await eventually("the interrupted verdict", () => {
    const row = runRow(ws, runId);
    return row?.status === "interrupted" ? row : undefined;
  });
  expect(run).toMatchObject({ current_step: 5, current_step_name: "send_email", attempts: 1 });
  expect(run.error).toMatch(reason);
  expect(run.cost_usd).toBeCloseTo(COST_BEFORE_EMAIL_SENT, 10);
  expectStepsOneToFourCheckpointed(runId);

  const step5 = stepRows(ws, runId).find((s) => s.step_index === 5)!;
  expect(step5).toMatchObject({ name: "send_email", status: "error", output: null });
  expect(JSON.parse(step5.input!)).toMatchObject({ to: "finance-team@example.com" });
  // The dead attempt's open spans (its run span, step 5) are interrupted with the verdict, not left running.
  const open = ws.query<{ kind: string; status: string; error: string; ended_at: string | null }>(
    "SELECT kind, status, error, ended_at FROM spans WHERE run_id = ? AND (status = 'running' OR error LIKE 'interrupted: %')",
    runId,
  );
  expect(open.map((s) => s.kind).sort()).toEqual(["run", "step"]);
  for (const s of open) {
    expect(s).toMatchObject({ status: "error", error: `interrupted: ${run.error}` });
    expect(s.ended_at).not.toBeNull();
  }

  const [failure] = ws.query<{ step: number; name: string; error_type: string; input: string }>(
    "SELECT step, name, error_type, input FROM failures WHERE run_id = ?",
    runId,
  );
  expect(failure).toMatchObject({ step: 5, name: "send_email", error_type: "interrupted" });
  expect(JSON.parse(failure!.input)).toMatchObject({ to: "finance-team@example.com" });
  const [interruption] = ws.query<{ reason: string; step: number; cost_usd: number }>(
    "SELECT reason, step, cost_usd FROM interruptions WHERE run_id = ? AND attempt = 1",
    runId,
  );
  expect(interruption).toMatchObject({ step: 5 });
  expect(interruption!.reason).toMatch(reason);
}

async function resumeAndExpectFinished(runId: string) {
  const effectsBefore = ws.effects();
  const resumed = startAgent(collector.url, ["--run-id", runId, "--resume"], ws);
  expect(await resumed.exited).toMatchObject({ code: 0 });

  const newEffects = ws.effects().slice(effectsBefore.length);
  expect(newEffects).toEqual([
    "step 5 send_email executed",
    "email sent to finance-team@example.com",
    "step 6 update_dashboard executed",
    "step 7 archive_report executed",
    "step 8 notify_team executed",
  ]);
  const run = await eventually("the resumed run to finish", () => {
    const row = runRow(ws, runId);
    return row?.status === "ok" ? row : undefined;
  });
  expect(run).toMatchObject({ attempts: 2, current_step: 8, error: null });
  expect(run.cost_usd).toBeCloseTo(COST_BEFORE_EMAIL_SENT + COST_OF_STEPS_5_TO_8, 10);

  const second = stepRows(ws, runId).filter((s) => s.attempt === 2);
  expect(second.map((s) => [s.step_index, s.name, s.status, s.replayed])).toEqual(
    STEPS.map((name, i) => [i + 1, name, "ok", i < 4 ? 1 : null]),
  );
  expect(ws.query("SELECT name FROM spans WHERE run_id = ? AND status = 'running'", runId)).toEqual([]);
  const links = ws.query<{ attempt: number; trace_id: string }>(
    "SELECT attempt, trace_id FROM spans WHERE run_id = ? AND kind = 'run' ORDER BY attempt",
    runId,
  );
  expect(new Set(links.map((l) => l.trace_id)).size).toBe(2);
}

describe("a killed run is recorded up to the kill and resumes from its last finished step", () => {
  it("SIGKILL during step 5: the heartbeat stops, the collector marks it interrupted", async () => {
    const agent = await agentInsideStep5("task-123");
    // Steps 1–4 returned only after the collector acknowledged them: stored before the kill.
    expectStepsOneToFourCheckpointed("task-123");
    await eventually("step 5's placeholder with its input", () =>
      stepRows(ws, "task-123").find((s) => s.step_index === 5 && s.input !== null),
    );
    // Model calls are batched (200 ms); the one inside step 5 has ended, let it arrive.
    await eventually("step 5's model call", () =>
      ws.query("SELECT 1 FROM spans WHERE run_id = 'task-123' AND kind = 'llm' AND status = 'ok'").length ===
      3
        ? true
        : undefined,
    );
    // Alive but slow is not interrupted: heartbeats keep it running past the silence threshold.
    await new Promise((resolve) => setTimeout(resolve, SILENCE_THRESHOLD_MS + 500));
    expect(runRow(ws, "task-123")).toMatchObject({ status: "running", current_step: 5 });
    agent.child.kill("SIGKILL");
    expect(await agent.exited).toMatchObject({ signal: "SIGKILL" });

    await expectInterruptedAtStep5("task-123", /^no heartbeat since \d{4}-\d\d-\d\dT/);
    await resumeAndExpectFinished("task-123");
  });

  it("SIGTERM during step 5: the SDK marks the run at once and the process still dies by the signal", async () => {
    const agent = await agentInsideStep5("task-sigterm");
    agent.child.kill("SIGTERM");
    expect(await agent.exited).toMatchObject({ signal: "SIGTERM" });
    await expectInterruptedAtStep5("task-sigterm", /^SIGTERM$/);
    await resumeAndExpectFinished("task-sigterm");
  });

  it("SIGINT (Ctrl+C) during step 5 is marked the same way", async () => {
    const agent = await agentInsideStep5("task-sigint");
    agent.child.kill("SIGINT");
    expect(await agent.exited).toMatchObject({ signal: "SIGINT" });
    await expectInterruptedAtStep5("task-sigint", /^SIGINT$/);
  });

  it("an uncaught exception during step 5 is the reason, and the process exits 1", async () => {
    const agent = startAgent(
      collector.url,
      ["--run-id", "task-throw", "--crash-at", "5", "--crash-mode", "throw"],
      ws,
    );
    expect(await agent.exited).toMatchObject({ code: 1 });
    expect(agent.output()).toContain("SMTP client crashed");
    await expectInterruptedAtStep5("task-throw", /^uncaught exception: SMTP client crashed$/);
    await resumeAndExpectFinished("task-throw");
  });

  it("an unhandled rejection during step 5 is the reason, and the process exits 1", async () => {
    const agent = startAgent(
      collector.url,
      ["--run-id", "task-reject", "--crash-at", "5", "--crash-mode", "reject"],
      ws,
    );
    expect(await agent.exited).toMatchObject({ code: 1 });
    await expectInterruptedAtStep5("task-reject", /^unhandled rejection: SMTP connection reset$/);
    await resumeAndExpectFinished("task-reject");
  });

  it("a deadline stops the run cleanly before step 5 with a resumable error", async () => {
    const agent = startAgent(collector.url, ["--run-id", "task-deadline", "--deadline-ms", "20000"], ws);
    expect(await agent.exited).toMatchObject({ code: 3 });
    expect(agent.output()).toMatch(/DEADLINE task-deadline: .*before step 5 "send_email"/);
    expect(ws.effects()).toEqual(STEPS.slice(0, 4).map((name, i) => `step ${i + 1} ${name} executed`));

    const run = await eventually("the deadline verdict", () => {
      const row = runRow(ws, "task-deadline");
      return row?.status === "interrupted" ? row : undefined;
    });
    // The SDK, the run list and the interruption agree: stopped before step 5, where resume continues.
    expect(run).toMatchObject({
      error: "deadline",
      current_step: 5,
      current_step_name: "send_email",
      steps: 4,
      attempts: 1,
    });
    expect(
      ws.query("SELECT reason, step, step_name FROM interruptions WHERE run_id = 'task-deadline'"),
    ).toEqual([{ reason: "deadline", step: 5, step_name: "send_email" }]);
    expectStepsOneToFourCheckpointed("task-deadline");

    const resumed = startAgent(collector.url, ["--run-id", "task-deadline", "--resume"], ws);
    expect(await resumed.exited).toMatchObject({ code: 0 });
    expect(ws.effects().slice(4)).toEqual([
      "step 5 send_email executed",
      "email sent to finance-team@example.com",
      "step 6 update_dashboard executed",
      "step 7 archive_report executed",
      "step 8 notify_team executed",
    ]);
    await eventually("the resumed run to finish", () =>
      runRow(ws, "task-deadline")?.status === "ok" ? true : undefined,
    );
    expect(runRow(ws, "task-deadline")).toMatchObject({ attempts: 2, current_step: 8 });
  });
});
