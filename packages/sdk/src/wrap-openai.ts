import { llm } from "./llm.js";
import { interceptMethods, tracedCall } from "./wrap-client.js";

type Params = { model?: unknown; messages?: unknown; input?: unknown; instructions?: unknown };

/**
 * Traces an `openai` client: every `chat.completions.create` and `responses.create` call
 * (streamed or not) becomes an LLM span with tokens and cost. Callers keep their code.
 * For streamed chat completions, pass `stream_options: { include_usage: true }` so the
 * API reports tokens.
 */
export function wrapOpenAI<C extends object>(client: C, options: { provider?: string } = {}): C {
  const provider = options.provider ?? "openai";
  return interceptMethods(client, {
    "chat.completions.create": (original, self, args) => {
      const params = (args[0] ?? {}) as Params;
      return tracedCall(
        () => original.apply(self, args),
        (fn) => llm({ provider, model: String(params.model ?? "unknown"), input: params.messages }, fn),
      );
    },
    "responses.create": (original, self, args) => {
      const params = (args[0] ?? {}) as Params;
      const input =
        params.instructions === undefined
          ? params.input
          : { instructions: params.instructions, input: params.input };
      return tracedCall(
        () => original.apply(self, args),
        (fn) => llm({ provider, model: String(params.model ?? "unknown"), input }, fn),
      );
    },
  });
}
