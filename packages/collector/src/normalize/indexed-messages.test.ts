import { describe, expect, it } from "vitest";
import { indexedMessages } from "./indexed-messages.js";

const PREFIXES = ["gen_ai.prompt", "llm.input_messages"];
const read = (attrs: Record<string, string | number>) =>
  JSON.parse(indexedMessages(attrs, PREFIXES) ?? "null");

describe("indexedMessages", () => {
  it("assembles messages in index order, whatever order their attributes come in", () => {
    expect(
      read({
        "gen_ai.prompt.10.content": "eleventh",
        "gen_ai.prompt.2.content": "third",
        "gen_ai.prompt.2.role": "user",
        "gen_ai.prompt.0.role": "system",
      }),
    ).toEqual([{ role: "system" }, { content: "third", role: "user" }, { content: "eleventh" }]);
    expect(read({ "other.0.role": "user" })).toBeNull();
  });

  it("keeps only the messages present, not an array as long as the largest index", () => {
    // An array indexed by 4294967294 took minutes and ran a decode worker out of memory.
    expect(
      read({
        "llm.input_messages.4294967294.message.content": "last",
        "llm.input_messages.0.message.content": "first",
      }),
    ).toEqual([{ content: "first" }, { content: "last" }]);
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

  it("keeps the first of two keys that disagree on a path, and a field named __proto__ as a field", () => {
    expect(indexedMessages({ "gen_ai.prompt.0.__proto__": "x" }, PREFIXES)).toBe('[{"__proto__":"x"}]');
    expect(
      read({
        "gen_ai.prompt.0.content": "text",
        "gen_ai.prompt.0.content.type": "ignored",
        "gen_ai.prompt.0.meta.__proto__.polluted": "yes",
      }),
    ).toEqual([{ content: "text", meta: { ["__proto__"]: { polluted: "yes" } } }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("drops positions inside a message too large to be real instead of building a huge array", () => {
    expect(read({ "gen_ai.prompt.0.parts.123456789.text": "x", "gen_ai.prompt.0.role": "user" })).toEqual([
      { role: "user", parts: [] },
    ]);
  });
});
