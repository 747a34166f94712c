import type { FailureRow, RunRow } from "../api/schemas";
import { parseJsonText } from "./messages";

/** A failure as a self-contained test case: what was called, with what, and what broke. */
export interface TestCase {
  runId: string | null;
  requestId: string | null;
  attempt: number;
  step: number | null;
  kind: string;
  name: string;
  input: unknown;
  context: unknown;
  expectedError: { type: string | null; message: string };
}

export function failureTestCase(failure: FailureRow, run: RunRow | null): TestCase {
  return {
    runId: failure.run_id,
    requestId: run?.request_id ?? null,
    attempt: failure.attempt,
    step: failure.step,
    kind: failure.kind,
    name: failure.name,
    input: parseJsonText(failure.input),
    context: parseJsonText(failure.context),
    expectedError: { type: failure.error_type, message: failure.message },
  };
}

export function testCaseFileName(failure: FailureRow): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
  return `flightrec-case-${safe(failure.run_id ?? "run")}-${safe(failure.name)}.json`;
}
