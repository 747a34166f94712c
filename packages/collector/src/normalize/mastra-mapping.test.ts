import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../domain.js";
import type { OtlpExportTraceRequest } from "../otlp/types.js";
import { normalizeRequest } from "./normalize-request.js";

/**
 * One export of a real Mastra agent (@mastra/core 0.24.9, @mastra/otel-exporter 0.3.3, OTLP/JSON),
 * recorded from the agent of test/mastra-agent.ts: weather works, flights throws, the agent answers.
 */
const fixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/mastra-0.24.9-agent.otlp.json", import.meta.url), "utf8"),
) as OtlpExportTraceRequest;

describe("Mastra spans, as @mastra/otel-exporter sends them", () => {
  const batch = normalizeRequest(fixture);
  const byName = (name: string): SpanRecord => batch.spans.find((s) => s.name === name)!;

  it("maps every span, by Mastra's span type", () => {
    expect(batch.rejected).toEqual([]);
    const kinds = batch.spans.map((s) => `${s.kind} ${s.name}`).filter((k) => !k.startsWith("other"));
    expect(kinds.sort()).toEqual([
      "llm chat gpt-4o-mini",
      "run agent.trip-planner",
      "step answer",
      "step flights",
      "step weather",
      "tool tool.execute flights",
      "tool tool.execute weather",
    ]);
    // What is left is the streamed chunks: plumbing of their step.
    expect(batch.spans.filter((s) => s.kind === "other").every((s) => s.name.startsWith("chunk: "))).toBe(
      true,
    );
  });

  it("names the run by the agent, and the loop's steps by what the model decided, numbered from 1", () => {
    expect(byName("agent.trip-planner")).toMatchObject({ runName: "trip-planner", status: "ok" });
    expect(JSON.parse(byName("agent.trip-planner").input!)).toBe("Weather and flights to Paris?");
    // Sent as "step: 0", "step: 1", "step: 2": the model called weather, then flights, then answered.
    expect(["weather", "flights", "answer"].map((n) => byName(n).stepIndex)).toEqual([1, 2, 3]);
  });

  it("reads the generation's model, provider, tokens and whole-JSON conversation, and prices it", () => {
    const llm = byName("chat gpt-4o-mini");
    expect(llm).toMatchObject({
      model: "gpt-4o-mini",
      provider: "openai",
      inputTokens: 300,
      outputTokens: 60,
    });
    expect(llm.costUsd).toBeGreaterThan(0);
    expect(JSON.parse(llm.input!)).toEqual([
      { role: "system", parts: [{ type: "text", content: "Plan trips." }] },
      { role: "user", parts: [{ type: "text", content: "Weather and flights to Paris?" }] },
    ]);
    expect(JSON.parse(llm.output!)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Sunny in Paris; no flights today." }] },
    ]);
  });

  it("keeps tool arguments and results, and the failing tool's own arguments on its failure", () => {
    const weather = byName("tool.execute weather");
    expect(JSON.parse(weather.input!)).toEqual({ city: "Paris" });
    expect(JSON.parse(weather.output!)).toEqual({ city: "Paris", sky: "sunny" });
    const flights = byName("tool.execute flights");
    expect(flights.status).toBe("error");
    expect(flights.failure).toMatchObject({
      errorType: "Error",
      message: "no flights to Paris",
      stack: null,
    });
    expect(JSON.parse(flights.failure!.input!)).toEqual({ to: "Paris" });
  });
});
