import { describe, expect, it } from "vitest";
import { indexedMessages } from "./indexed-messages.js";

const read = (attrs: Record<string, string | number>) =>
  JSON.parse(indexedMessages(attrs, ["llm.input_messages", "gen_ai.prompt"]) ?? "null");

describe("indexedMessages", () => {
  it("assembles messages in index order from flattened keys of either naming", () => {
    expect(
      read({
        "gen_ai.prompt.1.role": "user",
        "gen_ai.prompt.1.content": "hi",
        "gen_ai.prompt.0.role": "system",
        "gen_ai.prompt.0.content": "be brief",
      }),
    ).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
    ]);
    expect(read({ "other.0.role": "user" })).toBeNull();
  });

  it("nests OpenInference tool calls and content parts in the provider's shape", () => {
    expect(
      read({
        "llm.input_messages.0.message.role": "assistant",
        "llm.input_messages.0.message.tool_calls.0.tool_call.id": "call_1",
        "llm.input_messages.0.message.tool_calls.0.tool_call.function.name": "lookup",
        "llm.input_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"q":1}',
        "llm.input_messages.1.message.role": "user",
        "llm.input_messages.1.message.contents.0.message_content.type": "text",
        "llm.input_messages.1.message.contents.0.message_content.text": "look",
      }),
    ).toEqual([
      {
        role: "assistant",
        tool_calls: [{ id: "call_1", function: { name: "lookup", arguments: '{"q":1}' } }],
      },
      { role: "user", contents: [{ type: "text", text: "look" }] },
    ]);
  });

  it("keeps the first of two keys that disagree on a path and treats __proto__ as data", () => {
    expect(
      read({
        "gen_ai.prompt.0.content": "text",
        "gen_ai.prompt.0.content.type": "ignored",
        "gen_ai.prompt.0.__proto__.polluted": "yes",
      }),
    ).toEqual([{ content: "text", ["__proto__"]: { polluted: "yes" } }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("drops list positions too large to be real instead of building a huge array", () => {
    expect(read({ "gen_ai.prompt.99999999.role": "user", "gen_ai.prompt.0.role": "system" })).toEqual([
      { role: "system" },
    ]);
    expect(read({ "gen_ai.prompt.0.parts.123456789.text": "x", "gen_ai.prompt.0.role": "user" })).toEqual([
      { role: "user", parts: [] },
    ]);
  });
});
