import { setTraceProcessors, setTracingDisabled, withFunctionSpan, withTrace } from "@openai/agents";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flightrecErrorFunction, takeToolError } from "./tool-errors.js";

/** Calls `errorFunction` the way the Agents SDK does: inside the tool call's function span. */
async function inFunctionSpan(errorFunction: ReturnType<typeof flightrecErrorFunction>, error: unknown) {
  return withTrace("tool errors", () =>
    withFunctionSpan(
      async (span) => {
        try {
          return { spanId: span.spanId, answer: await errorFunction({}, error) };
        } catch (thrown) {
          return { spanId: span.spanId, thrown };
        }
      },
      { data: { name: "get_forecast" } },
    ),
  );
}

describe("flightrecErrorFunction", () => {
  // Spans need tracing on, which the Agents SDK turns off under NODE_ENV=test; nothing exports them.
  beforeAll(() => {
    setTraceProcessors([]);
    setTracingDisabled(false);
  });
  afterAll(() => setTracingDisabled(true));

  it("keeps the thrown error for the tool's span and answers the model as the Agents SDK does by default", async () => {
    const error = new RangeError("days out of range");
    const { spanId, answer } = await inFunctionSpan(flightrecErrorFunction(), error);
    expect(answer).toBe(
      "An error occurred while running the tool. Please try again. Error: RangeError: days out of range",
    );
    expect(takeToolError(spanId)).toBe(error);
    expect(takeToolError(spanId)).toBeUndefined();
  });

  it("rethrows with null, so the run fails as with errorFunction: null", async () => {
    const error = new TypeError("bad input");
    const { spanId, thrown } = await inFunctionSpan(flightrecErrorFunction(null), error);
    expect(thrown).toBe(error);
    expect(takeToolError(spanId)).toBe(error);
  });

  it("hands the error to your own error function and returns its answer", async () => {
    const own = vi.fn((_context: unknown, error: unknown) => `sorry: ${(error as Error).message}`);
    const error = new Error("down");
    const { spanId, answer } = await inFunctionSpan(flightrecErrorFunction(own), error);
    expect(answer).toBe("sorry: down");
    expect(own).toHaveBeenCalledWith({}, error, undefined);
    expect(takeToolError(spanId)).toBe(error);
  });

  it("still answers outside any span", async () => {
    await expect(flightrecErrorFunction()({}, new Error("x"))).resolves.toContain("Error: x");
  });
});
