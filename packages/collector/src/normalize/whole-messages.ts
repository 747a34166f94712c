import { type Attributes, pickJsonValue } from "./pick.js";

type Obj = Record<string, unknown>;

/** A message in the OpenTelemetry GenAI shape our SDK records: `{ role, parts: [{ type, … }] }`. */
interface GenAiMessage {
  role: string;
  parts: unknown[];
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a conversation sent whole, as one JSON attribute (Mastra's `gen_ai.prompt`
 * `{ messages: [...] }` and `gen_ai.completion` `{ text, toolCalls, … }`), into a JSON array of
 * messages in the GenAI shape; null when none of `keys` holds one, so the next source is tried.
 */
export function wholeMessages(attrs: Attributes, keys: readonly string[]): string | null {
  const value = pickJsonValue(attrs, ...keys);
  const messages = Array.isArray(value)
    ? value
    : isObj(value) && Array.isArray(value.messages)
      ? value.messages
      : isObj(value) && (typeof value.text === "string" || Array.isArray(value.toolCalls))
        ? [answerMessage(value)]
        : null;
  if (!messages?.every(isObj)) return null;
  return JSON.stringify(messages.map((m) => (Array.isArray(m.parts) ? m : genAiMessage(m))));
}

/** An AI SDK model message (`{ role, content }`, content a text or a list of typed parts). */
function genAiMessage(message: Obj): GenAiMessage {
  const { content } = message;
  const parts =
    typeof content === "string"
      ? [{ type: "text", content }]
      : Array.isArray(content)
        ? content.map(genAiPart)
        : [];
  return { role: typeof message.role === "string" ? message.role : "unknown", parts };
}

/** A generation's result: its text and the tools it called, as one assistant message. */
function answerMessage(result: Obj): GenAiMessage {
  const text =
    typeof result.text === "string" && result.text !== "" ? [{ type: "text", content: result.text }] : [];
  const calls = Array.isArray(result.toolCalls)
    ? result.toolCalls.map((c) => genAiPart({ type: "tool-call", ...c }))
    : [];
  return { role: "assistant", parts: [...text, ...calls] };
}

/** AI SDK content parts by type; a part of any other type is kept as it came. */
function genAiPart(part: unknown): unknown {
  if (!isObj(part)) return part;
  switch (part.type) {
    case "text":
      return { type: "text", content: part.text };
    case "reasoning":
      return { type: "reasoning", content: part.text };
    case "tool-call":
      return {
        type: "tool_call",
        id: part.toolCallId,
        name: part.toolName,
        arguments: part.input ?? part.args,
      };
    case "tool-result":
      return { type: "tool_call_response", id: part.toolCallId, response: part.output ?? part.result };
    default:
      return part;
  }
}
