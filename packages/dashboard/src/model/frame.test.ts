import { describe, expect, it } from "vitest";
import { indexRunEvents, llmConversation, llmExtras, toolCall } from "./frame";
import { span } from "./test-spans";

describe("frame details", () => {
  it("places decisions by span ID, or by step when the span ID is missing", () => {
    const spans = [span({ span_id: "s1", step_index: 1 }), span({ span_id: "s2", step_index: 2 })];
    const d = {
      run_id: "r",
      attempt: 1,
      input_tokens: null,
      output_tokens: null,
      cost_usd: null,
      ts: "t",
      reasoning: null,
      details: null,
    };
    const events = indexRunEvents({
      spans,
      decisions: [
        { ...d, step: 1, action: "a", span_id: "s1" },
        { ...d, step: 2, action: "b", span_id: null },
        { ...d, step: 9, action: "lost", span_id: null },
      ],
      failures: [],
    });
    expect(events.decisionsBySpan.get("s1")?.map((x) => x.action)).toEqual(["a"]);
    expect(events.decisionsBySpan.get("s2")?.map((x) => x.action)).toEqual(["b"]);
  });

  it("reads an LLM conversation from GenAI attributes with system instructions", () => {
    const s = span({
      span_id: "l",
      kind: "llm",
      attributes: JSON.stringify({
        "gen_ai.system_instructions": '[{"type":"text","content":"Be terse."}]',
        "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
        "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}]}]',
      }),
    });
    const c = llmConversation(s);
    expect(c.input.map((m) => m.role)).toEqual(["system", "user"]);
    expect(c.output[0]?.parts[0]).toEqual({ type: "text", text: "Hello" });
  });

  it("falls back to the input/output columns; a bare output string is the assistant's", () => {
    const c = llmConversation(
      span({ span_id: "l", input: '[{"role":"user","content":"Q"}]', output: '"A"' }),
    );
    expect(c.output).toEqual([
      { role: "assistant", parts: [{ type: "text", text: "A" }], finishReason: null },
    ]);
    expect(c.input[0]?.role).toBe("user");
  });

  it("reads tool arguments and results", () => {
    const s = span({
      span_id: "t",
      attributes: JSON.stringify({ "gen_ai.tool.call.arguments": '{"to":"x"}' }),
      output: '{"sent":true}',
    });
    expect(toolCall(s)).toEqual({ arguments: { to: "x" }, result: { sent: true } });
  });

  it("reads LLM extras when present", () => {
    expect(
      llmExtras({
        "flightrec.llm.time_to_first_token_ms": 120,
        "gen_ai.usage.cache_read.input_tokens": 64,
        "flightrec.llm.reasoning": "compare totals first",
        "gen_ai.response.finish_reasons": ["stop"],
      }),
    ).toEqual({
      timeToFirstTokenMs: 120,
      cachedInputTokens: 64,
      reasoningTokens: null,
      reasoningText: "compare totals first",
      finishReasons: "stop",
    });
  });
});
