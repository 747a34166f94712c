import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, shutdown } from "../init.js";
import { run } from "../run.js";
import { step } from "../step.js";
import { CheckpointError } from "./errors.js";

// An exporter that is shut down answers every export with failure, like an unreachable collector.
const unreachable = new InMemorySpanExporter();

beforeAll(async () => {
  await unreachable.shutdown();
  init({ exporter: unreachable, checkpointTimeoutMs: 200, handleProcessEvents: false });
});
afterAll(() => shutdown());

describe("a checkpoint the collector does not acknowledge", () => {
  it("lets the agent go on by default", async () => {
    const out = await run("agent", { runId: "u-1" }, async () => {
      const a = await step("first", async () => 1);
      return step("second", async () => a + 1);
    });
    expect(out).toBe(2);
  });

  it("is an error naming the step in strict mode", async () => {
    const executed: string[] = [];
    const attempt = run("agent", { runId: "u-2", strict: true }, async () => {
      await step("first", async () => executed.push("first"));
      await step("second", async () => executed.push("second"));
    });
    await expect(attempt).rejects.toThrow(CheckpointError);
    await expect(attempt).rejects.toThrow(/step 1 "first": the collector did not acknowledge/);
    expect(executed).toEqual(["first"]);
  });
});
