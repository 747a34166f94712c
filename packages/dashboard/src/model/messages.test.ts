import { describe, expect, it } from "vitest";
import { parseJsonText, parseMessages, parseSystemInstructions } from "./messages";

describe("parseMessages", () => {
  it("reads the GenAI parts format with tool calls and responses", () => {
    const json = JSON.stringify([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "c1", name: "weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "rainy" }] },
      { role: "assistant", parts: [{ type: "text", content: "Rainy." }], finish_reason: "stop" },
    ]);
    const messages = parseMessages(json);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(messages[1]?.parts[0]).toEqual({
      type: "tool_call",
      id: "c1",
      name: "weather",
      arguments: { city: "Paris" },
    });
    expect(messages[2]?.parts[0]).toEqual({ type: "tool_result", id: "c1", result: "rainy" });
    expect(messages[3]?.finishReason).toBe("stop");
  });

  it("reads plain {role, content} and OpenAI tool calls with JSON-string arguments", () => {
    const messages = parseMessages([
      { role: "system", content: "Be brief." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "x", function: { name: "send", arguments: '{"to":"a@b"}' } }],
      },
      { role: "tool", tool_call_id: "x", content: '{"ok":true}' },
    ]);
    expect(messages[0]).toEqual({
      role: "system",
      parts: [{ type: "text", text: "Be brief." }],
      finishReason: null,
    });
    expect(messages[1]?.parts).toEqual([
      { type: "tool_call", id: "x", name: "send", arguments: { to: "a@b" } },
    ]);
    expect(messages[2]?.parts).toEqual([{ type: "tool_result", id: "x", result: { ok: true } }]);
  });

  it("reads OpenInference's content part lists", () => {
    expect(parseMessages([{ role: "user", contents: [{ type: "text", text: "look" }] }])).toEqual([
      { role: "user", parts: [{ type: "text", text: "look" }], finishReason: null },
    ]);
  });

  it("reads Anthropic content blocks and a {messages} wrapper", () => {
    const messages = parseMessages({
      messages: [
        {
          role: "assistant",
          content: [
            { type: "text", text: "Let me check." },
            { type: "tool_use", id: "t", name: "db", input: { q: 1 } },
          ],
        },
      ],
    });
    expect(messages[0]?.parts).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_call", id: "t", name: "db", arguments: { q: 1 } },
    ]);
  });

  it("keeps plain text and unknown shapes instead of dropping them", () => {
    expect(parseMessages("not json")).toEqual([
      { role: "user", parts: [{ type: "text", text: "not json" }], finishReason: null },
    ]);
    expect(parseMessages([{ role: "user", parts: [{ type: "image", uri: "x" }] }])[0]?.parts).toEqual([
      { type: "data", value: { type: "image", uri: "x" } },
    ]);
    expect(parseMessages(null)).toEqual([]);
    expect(parseMessages([42])[0]).toEqual({
      role: "unknown",
      parts: [{ type: "data", value: 42 }],
      finishReason: null,
    });
  });

  it("reads system instructions", () => {
    expect(parseSystemInstructions('[{"type":"text","content":"You are terse."}]')).toEqual({
      role: "system",
      parts: [{ type: "text", text: "You are terse." }],
      finishReason: null,
    });
    expect(parseSystemInstructions(null)).toBeNull();
  });

  it("parseJsonText falls back to the text", () => {
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonText("{oops")).toBe("{oops");
  });
});
