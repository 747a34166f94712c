import { describe, expect, it } from "vitest";
import { indexedMessages } from "./indexed-messages.js";

const PREFIXES = ["gen_ai.prompt", "llm.input_messages"];

describe("indexedMessages", () => {
  it("assembles messages in index order, whatever order their attributes come in", () => {
    const json = indexedMessages(
      {
        "gen_ai.prompt.10.content": "eleventh",
        "gen_ai.prompt.2.content": "third",
        "gen_ai.prompt.2.role": "user",
        "gen_ai.prompt.0.role": "system",
      },
      PREFIXES,
    );
    expect(JSON.parse(json!)).toEqual([
      { role: "system" },
      { content: "third", role: "user" },
      { content: "eleventh" },
    ]);
  });

  it("takes time and space for the messages present, not for the largest index", () => {
    const started = performance.now();
    const json = indexedMessages(
      {
        "llm.input_messages.4294967294.message.content": "last",
        "llm.input_messages.0.message.content": "first",
      },
      PREFIXES,
    );
    expect(JSON.parse(json!)).toEqual([{ content: "first" }, { content: "last" }]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("keeps a field named __proto__ as a field", () => {
    expect(indexedMessages({ "gen_ai.prompt.0.__proto__": "x" }, PREFIXES)).toBe('[{"__proto__":"x"}]');
  });
});
