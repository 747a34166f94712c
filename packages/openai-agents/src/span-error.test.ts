import { describe, expect, it } from "vitest";
import { errorOf } from "./span-error.js";

describe("errorOf", () => {
  it("returns the thrown error itself when it was kept, with its own type and stack", () => {
    const thrown = new RangeError("days out of range");
    expect(errorOf({ message: "Error running tool", data: { error: String(thrown) } }, thrown)).toBe(thrown);
  });

  it("rebuilds type and message from the text the Agents SDK kept, without a stack of ours", () => {
    const error = errorOf({
      message: "Error running tool",
      data: { error: "RangeError: days out of range" },
    });
    expect([error.name, error.message, error.stack]).toEqual(["RangeError", "days out of range", ""]);
  });

  it("reads the runner's errors, whose messages quote further errors", () => {
    const error = errorOf({
      message: "Error in agent run",
      data: { error: "ToolCallError: Failed to run function tools: TypeError: x is undefined" },
    });
    expect([error.name, error.message]).toEqual([
      "ToolCallError",
      "Failed to run function tools: TypeError: x is undefined",
    ]);
  });

  it("takes a bare error name (tracing without sensitive data) as the type", () => {
    const error = errorOf({ message: "Error in agent run", data: { error: "MaxTurnsExceededError" } });
    expect([error.name, error.message]).toEqual(["MaxTurnsExceededError", "MaxTurnsExceededError"]);
  });

  it("keeps a message that only looks like `name: text` as a plain Error", () => {
    const error = errorOf({ message: "Error running tool", data: { error: "Connection: refused by host" } });
    expect([error.name, error.message]).toEqual(["Error", "Connection: refused by host"]);
  });

  it("falls back to the span error's message when there is no detail", () => {
    const error = errorOf({ message: "Guardrail tripped" });
    expect([error.name, error.message]).toEqual(["Error", "Guardrail tripped"]);
  });
});
