import { currentRun } from "@flightrec/sdk";
import { SpanKind, trace } from "@opentelemetry/api";

/** Prices of the model the fake pretends to be (USD per million tokens). */
const PRICE = { input: 2.5, output: 10 };

export interface FakeCompletion {
  text: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * A deterministic stand-in for a chat model: the same prompt always gives the same text,
 * token counts and cost. Recorded as an OpenTelemetry GenAI `chat` span, as a real model
 * call would be.
 */
export async function fakeModel(
  prompt: string,
  tokens: { input: number; output: number },
): Promise<FakeCompletion> {
  const tracer = trace.getTracer("fake-model");
  return tracer.startActiveSpan("chat fake-gpt", { kind: SpanKind.CLIENT }, async (span) => {
    const run = currentRun();
    const costUsd = (tokens.input * PRICE.input + tokens.output * PRICE.output) / 1_000_000;
    const text = `summary of: ${prompt.slice(0, 60)}`;
    span.setAttributes({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "fake",
      "gen_ai.request.model": "fake-gpt",
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: prompt }] }]),
      ...(run ? { "flightrec.run.id": run.runId, "flightrec.run.attempt": run.attempt } : {}),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    span.setAttributes({
      "gen_ai.usage.input_tokens": tokens.input,
      "gen_ai.usage.output_tokens": tokens.output,
      "flightrec.cost.usd": costUsd,
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "text", content: text }] },
      ]),
    });
    span.end();
    return { text, inputTokens: tokens.input, outputTokens: tokens.output, costUsd };
  });
}
