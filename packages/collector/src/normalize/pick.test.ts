import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { pickJson, pickNumber, pickString } from "./pick.js";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("pickJson", () => {
  it("keeps JSON text as it is and encodes anything else", () => {
    expect(pickJson({ a: '{"x":[1]}' })).toBeNull();
    expect(pickJson({ a: '{"x":[1]}' }, "a")).toBe('{"x":[1]}');
    expect(pickJson({ a: "plain text" }, "a")).toBe('"plain text"');
    expect(pickJson({ a: "[not json" }, "a")).toBe('"[not json"');
    expect(pickJson({ a: 3 }, "a")).toBe("3");
  });

  it("passes over an empty string to the next key", () => {
    const toolStep = { "ai.response.text": "", "ai.response.toolCalls": '[{"toolName":"weather"}]' };
    expect(pickJson(toolStep, "ai.response.text", "ai.response.toolCalls")).toBe('[{"toolName":"weather"}]');
    expect(pickJson({ a: "" }, "a")).toBeNull();
  });

  it("stores JSON text nested deeper than SQLite reads as a JSON string, so the store can read it", () => {
    const db = new Database(":memory:");
    const valid = (text: string | null) => db.prepare("SELECT json_valid(?) AS v").get(text) as { v: number };
    const deepest = pickJson({ a: nested(1000) }, "a");
    expect(deepest).toBe(nested(1000));
    const tooDeep = pickJson({ a: `{"x": ${nested(1000)}}` }, "a");
    expect(tooDeep).toBe(JSON.stringify(`{"x": ${nested(1000)}}`));
    expect([valid(deepest).v, valid(tooDeep).v]).toEqual([1, 1]);
    // Brackets inside strings do not count.
    const inString = JSON.stringify({ x: "[".repeat(3000) });
    expect(pickJson({ a: inString }, "a")).toBe(inString);
  });
});

describe("keys into JSON attributes (attr#field)", () => {
  const attrs = {
    metadata: '{"langgraph_step":2,"langgraph_node":"tools","nested":{"deep":"yes"}}',
    list: { ls_provider: "openai" },
    text: "not json",
  };

  it("reads a field of an attribute holding JSON text or a key/value list", () => {
    expect(pickNumber(attrs, "metadata#langgraph_step")).toBe(2);
    expect(pickString(attrs, "metadata#langgraph_node")).toBe("tools");
    expect(pickString(attrs, "metadata#nested.deep")).toBe("yes");
    expect(pickString(attrs, "list#ls_provider")).toBe("openai");
    expect(pickJson(attrs, "metadata#nested")).toBe('{"deep":"yes"}');
  });

  it("finds nothing where the attribute, the field or the JSON is missing, and tries the next key", () => {
    expect(
      pickString(attrs, "metadata#absent", "absent#x", "text#x", "metadata#langgraph_step.x"),
    ).toBeNull();
    expect(pickString(attrs, "metadata#absent", "metadata#langgraph_node")).toBe("tools");
  });
});
