import { describe, expect, it } from "vitest";
import { errorLine, errorTypePrefix } from "./error-type-prefix";

describe("errorTypePrefix", () => {
  it("names the type before a message that does not say it", () => {
    expect(errorTypePrefix("TypeError", "x is not a function")).toBe("TypeError");
    expect(errorLine("TypeError", "x is not a function")).toBe("TypeError: x is not a function");
  });

  it("does not repeat a type the message begins with (an interruption's reason)", () => {
    const message = "interrupted: no heartbeat since 2026-12-04T17:03:01.000Z";
    expect(errorTypePrefix("interrupted", message)).toBeNull();
    expect(errorLine("interrupted", message)).toBe(message);
  });

  it("keeps the type when the message only mentions it later or starts with a longer word", () => {
    expect(errorTypePrefix("Error", "Errors: 3 rows")).toBe("Error");
    expect(errorTypePrefix("Error", "an Error: here")).toBe("Error");
  });

  it("shows no prefix without a type", () => {
    expect(errorTypePrefix(null, "boom")).toBeNull();
    expect(errorLine(null, "boom")).toBe("boom");
  });
});
