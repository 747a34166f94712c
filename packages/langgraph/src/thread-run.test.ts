import { describe, expect, it } from "vitest";
import { invokeAsRun } from "./thread-run.js";

describe("invokeAsRun", () => {
  it("refuses a config without a thread_id, which is the run's ID, before invoking the graph", () => {
    let invoked = false;
    const graph = {
      invoke: async () => {
        invoked = true;
      },
    };
    expect(() => invokeAsRun(graph, {}, { configurable: {} as { thread_id: string } })).toThrow(
      /config\.configurable\.thread_id must be a non-empty string \(the run ID\)/,
    );
    expect(invoked).toBe(false);
  });
});
