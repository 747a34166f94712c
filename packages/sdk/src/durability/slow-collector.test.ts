import { trace } from "@opentelemetry/api";
import type { ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, shutdown } from "../init.js";
import { run } from "../run.js";
import { step } from "../step.js";

/** A collector that takes the request and never answers, until told to. */
class HangingExporter implements SpanExporter {
  hanging = true;
  private readonly held: ((result: ExportResult) => void)[] = [];
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.hanging) this.held.push(done);
    else done({ code: 0 });
  }
  release(): void {
    for (const done of this.held.splice(0)) done({ code: 0 });
  }
  async shutdown(): Promise<void> {
    this.release();
  }
}

const collector = new HangingExporter();

/** Step indexes the current run has recorded as not checkpointed so far. */
const missingCheckpoints = () =>
  (trace.getActiveSpan() as unknown as ReadableSpan).attributes["flightrec.checkpoint.missing"];

beforeAll(() => {
  init({
    exporter: collector,
    checkpointTimeoutMs: 200,
    shutdownTimeoutMs: 1_000,
    handleProcessEvents: false,
  });
});
afterAll(async () => {
  collector.release();
  await shutdown();
});

describe("checkpoints with a collector that stops answering", () => {
  it("waits for one checkpoint, then lets later steps go on without waiting", async () => {
    await run("agent", { runId: "slow-1" }, async () => {
      await step("first", async () => 1);
      expect(missingCheckpoints()).toEqual([1]);
      // The second returns without waiting: its outcome is not known yet.
      await step("second", async () => 2);
      expect(missingCheckpoints()).toEqual([1]);
    });
  });

  it("waits again once the collector acknowledges a checkpoint", async () => {
    collector.hanging = false;
    collector.release();
    await run("agent", { runId: "slow-2" }, async () => {
      await step("answered", async () => 1);
      collector.hanging = true;
      await step("waits-and-times-out", async () => 2);
      // The first was acknowledged; the second waited for its answer until the timeout.
      expect(missingCheckpoints()).toEqual([2]);
    });
  });
});
