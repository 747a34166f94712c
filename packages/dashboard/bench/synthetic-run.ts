import { randomBytes } from "node:crypto";

export const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;
export const str = (stringValue: string) => ({ stringValue });
export const int = (n: number) => ({ intValue: String(n) });

/**
 * An OTLP/JSON request holding one finished run of about `spanCount` spans: steps, each with an
 * LLM call (a short conversation) and a tool call, as an agent with a long loop would record.
 */
export function syntheticRun(
  runId: string,
  spanCount: number,
  startMs = Date.now() - 3_600_000,
  /** A step whose output differs from the same step of other runs (for compare). */
  divergeAtStep?: number,
): string {
  const traceId = hex(16);
  const rootId = hex(8);
  const base = [
    { key: "flightrec.run.id", value: str(runId) },
    { key: "flightrec.request.id", value: str(`req-${runId}`) },
    { key: "flightrec.run.attempt", value: int(1) },
  ];
  const spans: unknown[] = [];
  // One root, then steps of three spans (step, LLM call, tool call); the last step may be cut short.
  const steps = Math.max(1, Math.ceil((spanCount - 1) / 3));
  const lastStepSpans = spanCount - 1 - (steps - 1) * 3;
  let t = startMs;
  for (let i = 1; i <= steps; i++) {
    const stepId = hex(8);
    const stepStart = t;
    const messages = JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a careful analyst." }] },
      {
        role: "user",
        parts: [{ type: "text", content: `Step ${i}: summarize rows ${i * 10}-${i * 10 + 9}.` }],
      },
    ]);
    const output = JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: `Summary ${i}` }] },
    ]);
    // The last step keeps only as many of its calls as the span count leaves room for.
    const withLlm = i < steps || lastStepSpans >= 2;
    const withTool = i < steps || lastStepSpans >= 3;
    if (withLlm)
      spans.push(
        span(traceId, hex(8), stepId, `chat gpt-4o`, t + 1, t + 21, [
          ...base,
          { key: "flightrec.span.kind", value: str("llm") },
          { key: "gen_ai.operation.name", value: str("chat") },
          { key: "gen_ai.request.model", value: str("gpt-4o") },
          { key: "gen_ai.input.messages", value: str(messages) },
          { key: "gen_ai.output.messages", value: str(output) },
          { key: "gen_ai.usage.input_tokens", value: int(200) },
          { key: "gen_ai.usage.output_tokens", value: int(20) },
          { key: "flightrec.cost.usd", value: { doubleValue: 0.0007 } },
        ]),
      );
    if (withTool)
      spans.push(
        span(traceId, hex(8), stepId, "execute_tool lookup", t + 22, t + 27, [
          ...base,
          { key: "flightrec.span.kind", value: str("tool") },
          { key: "gen_ai.tool.name", value: str("lookup") },
          { key: "gen_ai.tool.call.arguments", value: str(JSON.stringify({ row: i })) },
          { key: "gen_ai.tool.call.result", value: str(JSON.stringify({ ok: true, value: i * 3 })) },
        ]),
      );
    t += 30;
    spans.push(
      span(traceId, stepId, rootId, `step_${i}`, stepStart, t, [
        ...base,
        { key: "flightrec.span.kind", value: str("step") },
        { key: "flightrec.step.name", value: str(`step_${i}`) },
        { key: "flightrec.step.index", value: int(i) },
        {
          key: "flightrec.step.output",
          value: str(JSON.stringify({ done: i, diverged: i === divergeAtStep })),
        },
      ]),
    );
  }
  spans.push(
    span(traceId, rootId, undefined, "invoke_agent long_loop", startMs, t + 1, [
      ...base,
      { key: "flightrec.span.kind", value: str("run") },
      { key: "gen_ai.operation.name", value: str("invoke_agent") },
      { key: "gen_ai.agent.name", value: str("long_loop") },
    ]),
  );
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: "service.name", value: str("bench") }] }, scopeSpans: [{ spans }] },
    ],
  });
}

export function span(
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  name: string,
  start: number,
  end: number,
  attributes: unknown[],
) {
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startTimeUnixNano: ns(start),
    endTimeUnixNano: ns(end),
    attributes,
    status: { code: 0 },
  };
}
