import { describe, expect, it } from "vitest";
import { isReplayedStep, runDetailSchema, runListSchema, spanRowSchema } from "./schemas";

describe("API schemas", () => {
  it("fills what older collectors leave out", () => {
    const parsed = runListSchema.parse({ runs: [{ run_id: "r1", status: "ok" }] });
    expect(parsed.runs[0]).toMatchObject({ run_id: "r1", name: null, steps: 0, attempts: 1, cost_usd: null });
    expect(parsed.nextCursor).toBeNull();
    const detail = runDetailSchema.parse({
      run: { run_id: "r1", status: "ok" },
      spans: [{ trace_id: "t", span_id: "s", kind: "run", name: "n", status: "ok", started_at: "x" }],
    });
    expect(detail).toMatchObject({ decisions: [], failures: [], logs: [] });
    expect(detail.spans[0]).toMatchObject({ attempt: 1, attributes: "{}", input: null });
  });

  it("says where an answer is not what it expects, and what it expected", () => {
    const wrongType = runListSchema.safeParse({ runs: [{ run_id: 7, status: "ok" }] });
    expect(wrongType.error?.issues[0]).toMatchObject({
      path: ["runs", 0, "run_id"],
      message: "expected string",
    });
    const wrongValue = runListSchema.safeParse({ runs: [{ run_id: "r", status: "odd" }] });
    expect(wrongValue.error?.issues[0]?.message).toBe("expected one of running, ok, error, interrupted");
  });

  it("recognises a replayed step from its attributes, as the outline's flag says it", () => {
    expect(isReplayedStep(JSON.stringify({ "flightrec.step.replayed": true }))).toBe(true);
    expect(isReplayedStep(JSON.stringify({ "flightrec.step.replayed": false }))).toBe(false);
    expect(isReplayedStep("{}")).toBe(false);
    const columns = { trace_id: "t", span_id: "s", kind: "step", name: "n", status: "ok", started_at: "x" };
    expect(spanRowSchema.parse({ ...columns, attributes: '{"flightrec.step.replayed":true}' }).replayed).toBe(
      true,
    );
    expect(spanRowSchema.parse(columns).replayed).toBe(false);
  });
});
