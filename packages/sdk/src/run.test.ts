import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flush, init, shutdown } from "./init.js";
import { run } from "./run.js";
import { currentRun } from "./run-context.js";
import { step } from "./step.js";

const exporter = new InMemorySpanExporter();

beforeAll(() => init({ serviceName: "unit", exporter }));
afterAll(() => shutdown());
beforeEach(() => exporter.reset());

async function finishedSpans() {
  await flush();
  // Placeholders of spans that were still open are exported too; these tests look at final spans.
  return exporter.getFinishedSpans().filter((s) => s.attributes["flightrec.span.pending"] !== true);
}

describe("run and step", () => {
  it("records a run span with GenAI and flightrec attributes, and steps as its children", async () => {
    const result = await run(
      "analyze",
      { runId: "task-1", requestId: "req-1", input: { q: 3 } },
      async () => {
        const a = await step("fetch", async () => 41);
        return step("add", () => a + 1);
      },
    );
    expect(result).toBe(42);
    const spans = await finishedSpans();
    const root = spans.find((s) => s.name === "invoke_agent analyze")!;
    expect(root.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "analyze",
      "flightrec.run.id": "task-1",
      "flightrec.request.id": "req-1",
      "flightrec.run.attempt": 1,
      "flightrec.run.input": '{"q":3}',
      "flightrec.run.output": "42",
    });
    const steps = spans.filter((s) => s.attributes["flightrec.span.kind"] === "step");
    expect(
      steps.map((s) => [s.name, s.attributes["flightrec.step.index"], s.attributes["flightrec.step.output"]]),
    ).toEqual([
      ["fetch", 1, "41"],
      ["add", 2, "42"],
    ]);
    for (const s of steps) {
      expect(s.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(s.attributes["flightrec.run.id"]).toBe("task-1");
    }
  });

  it("records the user's error and rethrows it unchanged", async () => {
    const boom = new TypeError("bad input");
    await expect(run("failing", {}, () => step("explode", () => Promise.reject(boom)))).rejects.toBe(boom);
    const spans = await finishedSpans();
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad input" });
      expect(s.events.find((e) => e.name === "exception")?.attributes?.["exception.type"]).toBe("TypeError");
    }
  });

  it("handles synchronous functions and throws", () => {
    expect(run("sync", {}, () => step("double", () => 21 * 2))).toBe(42);
    const err = new Error("sync boom");
    expect(() =>
      run("sync-fail", {}, () => {
        throw err;
      }),
    ).toThrow(err);
  });

  it("gives each run its own IDs through async context, even when interleaved", async () => {
    const seen = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        run("concurrent", { runId: `run-${i}` }, async () => {
          await new Promise((r) => setTimeout(r, (i * 7) % 13));
          return step("work", async () => {
            await new Promise((r) => setTimeout(r, (i * 5) % 11));
            return currentRun()!.runId;
          });
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `run-${i}`));
    const steps = (await finishedSpans()).filter((s) => s.name === "work");
    expect(steps).toHaveLength(50);
    for (const s of steps)
      expect(s.attributes["flightrec.step.output"]).toBe(JSON.stringify(s.attributes["flightrec.run.id"]));
  });

  it("keeps parent before child in time even within one millisecond", async () => {
    await run("fast", {}, () => step("instant", () => 1));
    const spans = await finishedSpans();
    const child = spans.find((s) => s.name === "instant");
    const parent = spans.find((s) => s.name === "invoke_agent fast");
    const ns = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
    expect(ns(child!.startTime)).toBeGreaterThan(ns(parent!.startTime));
  });
});
