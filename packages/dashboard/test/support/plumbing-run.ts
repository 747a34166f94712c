import { randomBytes } from "node:crypto";
import { otlpRequest } from "./otlp";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/**
 * A LangGraph-shaped run (an agent turn, a weather tool call, then another turn), its steps, calls and tool
 * declared with Flightrec's attributes and the LangChain plumbing around them left unmapped
 * (kind `other`), as a framework's chains arrive. The first tool call fails and the run goes on;
 * with `fail`, the third step calls the tool again and that failure takes the run down.
 */
export function plumbingRun(runId: string, startMs: number, fail: boolean): string {
  const base = { "flightrec.run.id": runId, "flightrec.run.attempt": 1 };
  const ids = { root: hex(8), agent1: hex(8), seq1: hex(8), tools: hex(8), agent2: hex(8), seq2: hex(8) };
  const chain = (name: string, parentSpanId: string, at: number, spanId = hex(8)) => ({
    spanId,
    parentSpanId,
    name,
    startMs: startMs + at,
    endMs: startMs + at + 4,
    attributes: { ...base, "openinference.span.kind": "CHAIN" },
  });
  const step = (name: string, spanId: string, index: number, at: number, failed = false) => ({
    spanId,
    parentSpanId: ids.root,
    name,
    startMs: startMs + at,
    endMs: startMs + at + 18,
    attributes: {
      ...base,
      "flightrec.span.kind": "step",
      "flightrec.step.name": name,
      "flightrec.step.index": index,
    },
    ...(failed ? { status: { code: 2, message: "weather service down" } } : {}),
  });
  const llm = (parentSpanId: string, at: number) => ({
    parentSpanId,
    name: "ChatOpenAI",
    startMs: startMs + at,
    endMs: startMs + at + 3,
    attributes: {
      ...base,
      "flightrec.span.kind": "llm",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 40,
      "gen_ai.usage.output_tokens": 8,
    },
  });
  const weather = (parentSpanId: string, at: number, city: string) => ({
    parentSpanId,
    name: "weather",
    startMs: startMs + at,
    endMs: startMs + at + 2,
    status: { code: 2, message: `weather service down for ${city}` },
    attributes: {
      ...base,
      "flightrec.span.kind": "tool",
      "gen_ai.tool.name": "weather",
      "gen_ai.tool.call.arguments": JSON.stringify({ city }),
    },
  });
  const toolChain = chain("ToolNode", ids.tools, 41);
  const lastChain = chain(fail ? "ToolNode" : "RunnableLambda", ids.agent2, 61);
  const spans = [
    {
      spanId: ids.root,
      name: "invoke_agent weather_agent",
      startMs,
      endMs: startMs + 100,
      attributes: { ...base, "flightrec.span.kind": "run", "gen_ai.agent.name": "weather_agent" },
      ...(fail ? { status: { code: 2, message: "weather service down for Lyon" } } : {}),
    },
    step("agent", ids.agent1, 1, 1),
    chain("RunnableSequence", ids.agent1, 2, ids.seq1),
    chain("ChatPromptTemplate", ids.seq1, 3),
    llm(ids.seq1, 8),
    chain("shouldContinue", ids.root, 30),
    step("tools", ids.tools, 2, 40),
    toolChain,
    weather(toolChain.spanId, 42, "Paris"),
    step(fail ? "tools" : "agent", ids.agent2, 3, 60, fail),
    ...(fail
      ? [{ ...lastChain, status: { code: 2, message: "weather service down for Lyon" } }]
      : [lastChain, llm(ids.agent2, 70)]),
    ...(fail ? [weather(lastChain.spanId, 62, "Lyon")] : []),
  ];
  return otlpRequest(hex(16), spans);
}
