import { hex, int, span, str } from "./synthetic-run";

/** LangChain's plumbing around one model call, as nested chains: [name, depth under the step]. */
const CHAINS: readonly [string, number][] = [
  ["RunnableSequence", 0],
  ["ChatPromptTemplate", 1],
  ["RunnableLambda", 1],
  ["StrOutputParser", 1],
  ["RunnableMap", 0],
  ["RunnablePassthrough", 1],
  ["shouldContinue", 0],
];

/**
 * An OTLP/JSON request holding one finished LangGraph-like run of about `spanCount` spans,
 * mostly plumbing: each step holds seven chains (kind `other`) around an LLM call and a tool
 * call, so seven spans in ten fold away in the replay.
 */
export function syntheticPlumbingRun(
  runId: string,
  spanCount: number,
  startMs = Date.now() - 3_600_000,
): string {
  const traceId = hex(16);
  const rootId = hex(8);
  const base = [
    { key: "flightrec.run.id", value: str(runId) },
    { key: "flightrec.run.attempt", value: int(1) },
  ];
  const spans: unknown[] = [];
  const perStep = CHAINS.length + 3;
  const steps = Math.max(1, Math.floor((spanCount - 1) / perStep));
  let t = startMs;
  for (let i = 1; i <= steps; i++) {
    const stepId = hex(8);
    const stepStart = t;
    // parents[d]: the latest chain at depth d under this step; depth 0 hangs on the step.
    const parents = [stepId];
    CHAINS.forEach(([name, depth], c) => {
      const id = hex(8);
      parents[depth + 1] = id;
      spans.push(span(traceId, id, parents[depth], name, t + c, t + c + 1, base));
    });
    spans.push(
      span(traceId, hex(8), parents[1]!, "ChatOpenAI", t + 2, t + 12, [
        ...base,
        { key: "flightrec.span.kind", value: str("llm") },
        { key: "gen_ai.request.model", value: str("gpt-4o-mini") },
        { key: "gen_ai.usage.input_tokens", value: int(120) },
        { key: "gen_ai.usage.output_tokens", value: int(12) },
      ]),
      span(traceId, hex(8), stepId, "lookup", t + 14, t + 18, [
        ...base,
        { key: "flightrec.span.kind", value: str("tool") },
        { key: "gen_ai.tool.name", value: str("lookup") },
        { key: "gen_ai.tool.call.arguments", value: str(JSON.stringify({ row: i })) },
      ]),
    );
    t += 20;
    spans.push(
      span(traceId, stepId, rootId, "agent", stepStart, t, [
        ...base,
        { key: "flightrec.span.kind", value: str("step") },
        { key: "flightrec.step.name", value: str("agent") },
        { key: "flightrec.step.index", value: int(i) },
      ]),
    );
  }
  // What the steps leave of the span count: routing lambdas between the last steps and the end.
  for (let r = spanCount - 1 - steps * perStep; r > 0; r--, t++) {
    spans.push(span(traceId, hex(8), rootId, "shouldContinue", t, t + 1, base));
  }
  spans.push(
    span(traceId, rootId, undefined, "LangGraph", startMs, t + 1, [
      ...base,
      { key: "flightrec.span.kind", value: str("run") },
    ]),
  );
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: "service.name", value: str("bench") }] }, scopeSpans: [{ spans }] },
    ],
  });
}
