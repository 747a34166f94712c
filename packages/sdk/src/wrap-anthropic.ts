import { llm } from "./llm.js";
import { interceptMethods, tracedCall } from "./wrap-client.js";

type Params = { model?: unknown; messages?: unknown; system?: unknown };

/**
 * Traces an `@anthropic-ai/sdk` client: every `messages.create` call (streamed or not, and
 * `messages.stream`, which goes through it) becomes an LLM span with tokens, cost and
 * thinking text. Callers keep their code.
 */
export function wrapAnthropic<C extends object>(client: C): C {
  return interceptMethods(client, {
    "messages.create": (original, self, args) => {
      const params = (args[0] ?? {}) as Params;
      const input =
        params.system === undefined ? params.messages : { system: params.system, messages: params.messages };
      return tracedCall(
        () => original.apply(self, args),
        (fn) => llm({ provider: "anthropic", model: String(params.model ?? "unknown"), input }, fn),
      );
    },
  });
}
