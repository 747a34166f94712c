import { describe, expect, it } from "vitest";
import { defaults } from "./settings.js";

describe("capture settings", () => {
  it("takes the default tool timeout from FLIGHTREC_TOOL_TIMEOUT_MS, ignoring junk", () => {
    expect(defaults({ FLIGHTREC_TOOL_TIMEOUT_MS: "2500" }).toolTimeoutMs).toBe(2_500);
    expect(defaults({ FLIGHTREC_TOOL_TIMEOUT_MS: "soon" }).toolTimeoutMs).toBe(0);
    expect(defaults({}).toolTimeoutMs).toBe(0);
  });
});
