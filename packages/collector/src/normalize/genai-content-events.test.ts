import { describe, expect, it } from "vitest";
import { conversationEntryOf } from "./genai-content-events.js";

/** Bodies as @opentelemetry/instrumentation-openai 0.21 emits them (captureMessageContent on). */
describe("conversationEntryOf", () => {
  it("turns input events into messages as the OpenAI API takes them", () => {
    const call = {
      id: "call_1",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
    };
    expect(conversationEntryOf("gen_ai.assistant.message", { tool_calls: [call] })).toEqual({
      part: "input",
      message: JSON.stringify({ role: "assistant", tool_calls: [call] }),
    });
    expect(conversationEntryOf("gen_ai.tool.message", { id: "call_1", content: "18C" })).toEqual({
      part: "input",
      message: JSON.stringify({ role: "tool", content: "18C", tool_call_id: "call_1" }),
    });
  });

  it("turns a choice into an output message of text and tool-call parts, as the SDK records them", () => {
    const body = {
      index: 0,
      finish_reason: "tool_calls",
      message: {
        content: "Checking.",
        tool_calls: [{ id: "call_2", type: "function", function: { name: "lookup", arguments: '{"q":1}' } }],
      },
    };
    expect(JSON.parse(conversationEntryOf("gen_ai.choice", body)!.message)).toEqual({
      role: "assistant",
      parts: [
        { type: "text", content: "Checking." },
        { type: "tool_call", id: "call_2", name: "lookup", arguments: '{"q":1}' },
      ],
      finish_reason: "tool_calls",
    });
  });

  it("takes the message lists of a Responses API operation-details event as they are", () => {
    const input = [{ role: "user", parts: [{ type: "text", content: "hi" }] }];
    const event = "gen_ai.client.inference.operation.details";
    expect(conversationEntryOf(event, null, { "gen_ai.input.messages": input })).toEqual({
      part: "input",
      message: JSON.stringify(input),
    });
    expect(conversationEntryOf(event, null, { "gen_ai.output.messages": JSON.stringify(input) })).toEqual({
      part: "output",
      message: JSON.stringify(input),
    });
    expect(conversationEntryOf(event, null, {})).toBeNull();
  });

  it("is null for any other event or a plain log line", () => {
    expect(conversationEntryOf("user.login", { content: "x" })).toBeNull();
    expect(conversationEntryOf(null, "hello")).toBeNull();
  });
});
