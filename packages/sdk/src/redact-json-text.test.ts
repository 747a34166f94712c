import { describe, expect, it } from "vitest";
import { REDACTED, redactJsonText } from "./redact.js";

describe("redactJsonText", () => {
  it("returns the very text when nothing needs redaction", () => {
    const json = '{ "rows": [1.50, 2], "note": "Q3 dip" }';
    expect(redactJsonText(json)).toEqual({ text: json, redacted: false });
    const tokens = '{"usage":{"tokens":12}}'; // mentions "token" but holds no secret
    expect(redactJsonText(tokens)).toEqual({ text: tokens, redacted: false });
  });

  it("masks secret fields and secrets inside strings, saying so", () => {
    const { text, redacted } = redactJsonText('{"api_key":"abc","msg":"use sk-abcdefghijklmnopqrst"}');
    expect(redacted).toBe(true);
    expect(JSON.parse(text)).toEqual({ api_key: REDACTED, msg: `use ${REDACTED}` });
  });
});
