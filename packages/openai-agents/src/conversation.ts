/**
 * The Responses API's input items (what the Agents SDK keeps on a response span as `_input`) in
 * the GenAI `gen_ai.input.messages` shape that `llm()` records and the replay shows as chat.
 * Pure; items it does not know are kept as they are.
 */

type Item = Record<string, unknown>;

interface GenAiMessage {
  role: string;
  parts: Record<string, unknown>[];
}

export function inputMessages(input: unknown): unknown[] | undefined {
  if (typeof input === "string") return [{ role: "user", parts: [{ type: "text", content: input }] }];
  if (!Array.isArray(input)) return undefined;
  return input.map((item) => (isItem(item) ? messageOf(item) : item));
}

function messageOf(item: Item): GenAiMessage | Item {
  switch (item.type ?? (typeof item.role === "string" ? "message" : undefined)) {
    case "message":
      return { role: String(item.role ?? "user"), parts: contentParts(item.content) };
    case "function_call":
      return {
        role: "assistant",
        parts: [
          { type: "tool_call", id: item.callId ?? item.call_id, name: item.name, arguments: item.arguments },
        ],
      };
    case "function_call_result":
    case "function_call_output":
      return {
        role: "tool",
        parts: [
          { type: "tool_call_response", id: item.callId ?? item.call_id, response: resultText(item.output) },
        ],
      };
    case "reasoning":
      return { role: "assistant", parts: [{ type: "reasoning", content: texts(item.content).join("\n") }] };
    default:
      return item;
  }
}

/** A message's content: a string, or a list of `input_text` / `output_text` / other parts. */
function contentParts(content: unknown): Record<string, unknown>[] {
  if (typeof content === "string") return [{ type: "text", content }];
  if (!Array.isArray(content)) return [];
  return content.map((part) =>
    isItem(part) && typeof part.text === "string"
      ? { type: "text", content: part.text }
      : isItem(part)
        ? { type: String(part.type ?? "unknown"), ...part }
        : { type: "text", content: String(part) },
  );
}

/** A tool result: `{ type: "text", text }`, a list of such parts, or a plain value. */
function resultText(output: unknown): unknown {
  if (typeof output === "string") return output;
  if (isItem(output) && typeof output.text === "string") return output.text;
  if (Array.isArray(output)) return texts(output).join("");
  return output;
}

function texts(parts: unknown): string[] {
  if (!Array.isArray(parts)) return [];
  return parts.flatMap((p) => (isItem(p) && typeof p.text === "string" ? [p.text] : []));
}

function isItem(value: unknown): value is Item {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
