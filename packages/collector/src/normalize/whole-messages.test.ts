import { describe, expect, it } from "vitest";
import { wholeMessages } from "./whole-messages.js";

const read = (value: string) =>
  JSON.parse(wholeMessages({ "gen_ai.prompt": value }, ["gen_ai.prompt"]) ?? "null");

describe("wholeMessages", () => {
  it("turns AI SDK model messages, in a { messages } wrapper or not, into GenAI messages", () => {
    const messages = [
      { role: "system", content: "Be brief." },
      {
        role: "assistant",
        content: [{ type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } }],
      },
      {
        role: "tool",
        content: [{ type: "tool-result", toolCallId: "c1", toolName: "weather", output: { sky: "sunny" } }],
      },
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "hm" },
          { type: "image", image: "x" },
        ],
      },
    ];
    const expected = [
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "c1", name: "weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: { sky: "sunny" } }] },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", content: "hm" },
          { type: "image", image: "x" },
        ],
      },
    ];
    expect(read(JSON.stringify({ messages }))).toEqual(expected);
    expect(read(JSON.stringify(messages))).toEqual(expected);
  });

  it("turns a generation's result into one assistant message with its text and tool calls", () => {
    expect(
      read(
        JSON.stringify({
          text: "",
          toolCalls: [{ toolCallId: "c1", toolName: "weather", args: { city: "Rome" } }],
        }),
      ),
    ).toEqual([
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "c1", name: "weather", arguments: { city: "Rome" } }],
      },
    ]);
  });

  it("keeps messages already in the GenAI shape as they are", () => {
    const genAi = [{ role: "user", parts: [{ type: "text", content: "hi" }] }];
    expect(read(JSON.stringify(genAi))).toEqual(genAi);
  });

  it("gives null for anything that is not a conversation, so the next source is tried", () => {
    for (const value of ["plain text", '{"foo":1}', "[1,2]", '"quoted"', "{not json"]) {
      expect(wholeMessages({ "gen_ai.prompt": value }, ["gen_ai.prompt"])).toBeNull();
    }
    expect(wholeMessages({}, ["gen_ai.prompt"])).toBeNull();
  });
});
