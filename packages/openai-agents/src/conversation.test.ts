import { describe, expect, it } from "vitest";
import { inputMessages } from "./conversation.js";

describe("inputMessages", () => {
  it("makes a plain string input one user message", () => {
    expect(inputMessages("Weather in Paris?")).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
    ]);
  });

  it("turns Responses API items into GenAI messages: text, tool calls and their results", () => {
    expect(
      inputMessages([
        { type: "message", role: "user", content: "Weather in Paris?" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking." }] },
        { type: "function_call", callId: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
        {
          type: "function_call_result",
          callId: "c1",
          name: "get_weather",
          output: { type: "text", text: "sunny" },
        },
        { type: "function_call_output", call_id: "c2", output: "rain" },
      ]),
    ).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "text", content: "Checking." }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "sunny" }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c2", response: "rain" }] },
    ]);
  });

  it("keeps chat messages ({ role, content }) as messages and unknown items as they are", () => {
    const unknown = { type: "computer_call", action: { type: "click" } };
    expect(inputMessages([{ role: "system", content: "Be brief." }, unknown])).toEqual([
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      unknown,
    ]);
  });

  it("has no messages for input it cannot read", () => {
    expect(inputMessages(undefined)).toBeUndefined();
    expect(inputMessages({ not: "a list" })).toBeUndefined();
  });
});
