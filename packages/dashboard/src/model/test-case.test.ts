import { describe, expect, it } from "vitest";
import type { FailureRow } from "../api/schemas";
import { failureTestCase, testCaseFileName } from "./test-case";

const failure: FailureRow = {
  run_id: "task 1/2",
  attempt: 2,
  span_id: "s",
  step: 4,
  kind: "tool",
  name: "send_email",
  error_type: "SmtpError",
  message: "550 mailbox unavailable",
  stack: "SmtpError: 550\n  at send",
  input: '{"to":"finance@example.com"}',
  context: "not json",
  ts: "2026-01-01T00:00:00.000Z",
  run_name: null,
};

describe("failureTestCase", () => {
  it("turns the captured input into a self-contained case", () => {
    expect(failureTestCase(failure, null)).toEqual({
      runId: "task 1/2",
      requestId: null,
      attempt: 2,
      step: 4,
      kind: "tool",
      name: "send_email",
      input: { to: "finance@example.com" },
      context: "not json",
      expectedError: { type: "SmtpError", message: "550 mailbox unavailable" },
    });
  });

  it("names the download safely", () => {
    expect(testCaseFileName(failure)).toBe("flightrec-case-task_1_2-send_email.json");
  });
});
