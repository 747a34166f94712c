import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flush, init, shutdown } from "../init.js";
import { run } from "../run.js";
import { step } from "../step.js";
import { recordStepInput } from "./step-input.js";

const exporter = new InMemorySpanExporter();
beforeAll(() => init({ exporter, handleProcessEvents: false }));
afterAll(() => shutdown());

describe("recordStepInput", () => {
  it("puts the input on the step the caller is in, and is ignored outside a step", async () => {
    recordStepInput({ ignored: true });
    await run("agent", { runId: "i-1", waitForCheckpoints: false }, () =>
      step("send_email", async () => {
        recordStepInput({ to: "a@b.c" });
        return "sent";
      }),
    );
    await flush();
    const stepSpan = exporter
      .getFinishedSpans()
      .find((s) => s.name === "send_email" && s.attributes["flightrec.span.pending"] !== true);
    expect(stepSpan?.attributes["flightrec.step.input"]).toBe('{"to":"a@b.c"}');
  });
});
