import { describe, expect, it } from "vitest";
import type { RunRow } from "../api/schemas";
import { interruptedLabel, lastSeen, runError, statusDetail } from "./run-status";

const base: RunRow = {
  run_id: "task-1",
  name: "agent",
  status: "interrupted",
  started_at: "2026-01-01T14:30:00.000Z",
  ended_at: null,
  duration_ms: null,
  current_step: 5,
  current_step_name: "send_email",
  steps: 5,
  attempts: 1,
  input_tokens: null,
  output_tokens: null,
  cost_usd: null,
  error: null,
  request_id: null,
  service: null,
  last_seen_at: "2026-01-01T14:35:00.000Z",
  updated_at: "2026-01-01T14:36:00.000Z",
};
const clock = (iso: string) => iso.slice(11, 19);

describe("run status", () => {
  it("says where an interrupted run stopped and when it was last seen", () => {
    expect(interruptedLabel(base, clock)).toBe("stopped at step 5 · send_email · last seen 14:35:00");
  });

  it("says a run its deadline stopped stopped before the step resume continues with", () => {
    expect(interruptedLabel({ ...base, error: "deadline" }, clock)).toBe(
      "stopped before step 5 · send_email · last seen 14:35:00",
    );
  });

  it("falls back to the update time and copes with no step", () => {
    const run = { ...base, last_seen_at: null, current_step: null, current_step_name: null };
    expect(lastSeen(run)).toBe("2026-01-01T14:36:00.000Z");
    expect(interruptedLabel(run, clock)).toBe("stopped · last seen 14:36:00");
  });

  it("describes running and failed runs, and nothing for ok ones", () => {
    expect(statusDetail({ ...base, status: "running" }, clock)).toBe("at step 5 · send_email");
    expect(statusDetail({ ...base, status: "error" }, clock)).toBe("failed at step 5 · send_email");
    expect(statusDetail({ ...base, status: "ok" }, clock)).toBeNull();
  });

  it("shows no error for a run that ended ok, and the error of one that did not", () => {
    const failedTool = "TypeError: weather service down";
    expect(runError({ status: "ok", error: failedTool })).toBeNull();
    expect(runError({ status: "error", error: failedTool })).toBe(failedTool);
    expect(runError({ status: "interrupted", error: "deadline" })).toBe("deadline");
  });
});
