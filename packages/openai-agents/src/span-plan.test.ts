import { describe, expect, it } from "vitest";
import { planOf } from "./span-plan.js";

describe("planOf", () => {
  it("makes a turn a step named by its agent", () => {
    expect(planOf({ type: "turn", turn: 2, agent_name: "Weather agent" })).toMatchObject({
      kind: "step",
      name: "Weather agent",
      attributes: { "flightrec.span.kind": "step", "flightrec.step.name": "Weather agent" },
    });
  });

  it("makes Responses and Chat Completions calls LLM calls", () => {
    for (const data of [{ type: "response" as const }, { type: "generation" as const }]) {
      expect(planOf(data)).toMatchObject({
        kind: "llm",
        attributes: {
          "flightrec.span.kind": "llm",
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
        },
      });
    }
  });

  it("names a function call's tool span by the function", () => {
    expect(planOf({ type: "function", name: "get_weather", input: "", output: "" })).toMatchObject({
      kind: "tool",
      name: "execute_tool get_weather",
      attributes: { "gen_ai.tool.name": "get_weather", "gen_ai.operation.name": "execute_tool" },
    });
  });

  it("folds the runner's task span into the run, and keeps agents, guardrails and handoffs as spans", () => {
    expect(planOf({ type: "task", name: "weather_workflow" }).kind).toBe("fold");
    expect(planOf({ type: "agent", name: "Triage agent" })).toMatchObject({
      kind: "other",
      name: "agent Triage agent",
    });
    expect(planOf({ type: "guardrail", name: "polite", triggered: false })).toMatchObject({
      kind: "other",
      name: "guardrail polite",
    });
    expect(planOf({ type: "handoff" }).kind).toBe("other");
  });

  it("never marks an agent span as a run, whatever reads gen_ai.operation.name", () => {
    expect(
      planOf({ type: "agent", name: "Triage agent" }).attributes["gen_ai.operation.name"],
    ).toBeUndefined();
  });
});
