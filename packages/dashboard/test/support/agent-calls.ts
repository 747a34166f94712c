import { currentRun } from "@flightrec/sdk";
import { type Attributes, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * LLM calls, tool calls and decisions recorded with the attribute conventions, inside the
 * SDK's runs and steps (the SDK's active context makes them children of the current step).
 */
const tracer = () => trace.getTracer("flightrec-dashboard-test");

function runAttributes(): Attributes {
  const run = currentRun();
  return run
    ? {
        "flightrec.run.id": run.runId,
        "flightrec.request.id": run.requestId,
        "flightrec.run.attempt": run.attempt,
      }
    : {};
}

export interface LlmCall {
  model: string;
  input: unknown[];
  output: unknown[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs?: number;
}

export async function llmCall(call: LlmCall): Promise<void> {
  await tracer().startActiveSpan(`chat ${call.model}`, async (span) => {
    span.setAttributes({
      ...runAttributes(),
      "flightrec.span.kind": "llm",
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": call.model,
      "gen_ai.input.messages": JSON.stringify(call.input),
    });
    await sleep(call.latencyMs ?? 15);
    span.setAttributes({
      "gen_ai.response.model": call.model,
      "gen_ai.output.messages": JSON.stringify(call.output),
      "gen_ai.usage.input_tokens": call.inputTokens,
      "gen_ai.usage.output_tokens": call.outputTokens,
      "flightrec.cost.usd": call.costUsd,
    });
    span.end();
  });
}

export async function toolCall(name: string, args: unknown, fn: () => Promise<unknown>): Promise<unknown> {
  return tracer().startActiveSpan(`execute_tool ${name}`, async (span) => {
    span.setAttributes({
      ...runAttributes(),
      "flightrec.span.kind": "tool",
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": name,
      "gen_ai.tool.call.arguments": JSON.stringify(args),
    });
    try {
      const result = await fn();
      span.setAttribute("gen_ai.tool.call.result", JSON.stringify(result));
      return result;
    } catch (error) {
      const err = error as Error;
      span.recordException(err);
      span.setAttribute("flightrec.failure.input", JSON.stringify(args));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function decide(action: string, reasoning: string): void {
  trace.getActiveSpan()?.addEvent("flightrec.decision", {
    "flightrec.decision.action": action,
    "flightrec.decision.reasoning": reasoning,
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
