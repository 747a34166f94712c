/** One piece of a chat message, whichever format it was recorded in. */
export type ChatPart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool_call"; id: string | null; name: string; arguments: unknown }
  | { type: "tool_result"; id: string | null; result: unknown }
  | { type: "data"; value: unknown };

export interface ChatMessage {
  role: string;
  parts: ChatPart[];
  finishReason: string | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Parses JSON text, returning the text itself when it is not JSON. */
export function parseJsonText(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads a recorded conversation: the OpenTelemetry GenAI format (`{ role, parts: [{ type, … }] }`),
 * OpenAI-style `{ role, content, tool_calls }`, Anthropic-style content blocks, a `{ messages }`
 * wrapper, a single message or plain text. Anything unrecognised is kept as data, never dropped.
 */
export function parseMessages(value: unknown): ChatMessage[] {
  const parsed = typeof value === "string" ? parseJsonText(value) : value;
  if (parsed === null || parsed === undefined) return [];
  if (typeof parsed === "string")
    return [{ role: "user", parts: [{ type: "text", text: parsed }], finishReason: null }];
  if (Array.isArray(parsed)) return parsed.map(toMessage);
  if (isObj(parsed) && Array.isArray(parsed.messages)) return parsed.messages.map(toMessage);
  return [toMessage(parsed)];
}

/** `gen_ai.system_instructions`: a list of parts (or text) that becomes one system message. */
export function parseSystemInstructions(value: unknown): ChatMessage | null {
  const parsed = typeof value === "string" ? parseJsonText(value) : value;
  if (parsed === null || parsed === undefined) return null;
  const parts = contentParts(parsed);
  return parts.length ? { role: "system", parts, finishReason: null } : null;
}

function toMessage(raw: unknown): ChatMessage {
  if (!isObj(raw)) return { role: "unknown", parts: contentParts(raw), finishReason: null };
  const role = str(raw.role) ?? "unknown";
  // OpenInference lists multimodal content as `contents` ([{ type, text }]).
  const parts = Array.isArray(raw.parts)
    ? contentParts(raw.parts)
    : contentParts(raw.content ?? raw.contents);
  if (Array.isArray(raw.tool_calls)) parts.push(...raw.tool_calls.map(openAiToolCall));
  const toolCallId = str(raw.tool_call_id);
  if (role === "tool" && toolCallId && parts.length === 1 && parts[0]?.type === "text") {
    parts[0] = { type: "tool_result", id: toolCallId, result: parseJsonText(parts[0].text) };
  }
  return { role, parts, finishReason: str(raw.finish_reason) ?? str(raw.stop_reason) };
}

function contentParts(content: unknown): ChatPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (Array.isArray(content)) return content.map(toPart);
  return [toPart(content)];
}

function toPart(raw: unknown): ChatPart {
  if (typeof raw === "string") return { type: "text", text: raw };
  if (!isObj(raw)) return { type: "data", value: raw };
  const text = str(raw.content) ?? str(raw.text);
  switch (raw.type) {
    case "text":
    case "input_text":
    case "output_text":
      return text !== null ? { type: "text", text } : { type: "data", value: raw };
    case "reasoning":
    case "thinking":
      return { type: "reasoning", text: text ?? str(raw.thinking) ?? JSON.stringify(raw) };
    case "tool_call":
    case "tool_use":
    case "function_call":
      return {
        type: "tool_call",
        id: str(raw.id) ?? str(raw.call_id),
        name: str(raw.name) ?? "(unnamed tool)",
        arguments: parseArgs(raw.arguments ?? raw.input),
      };
    case "tool_call_response":
    case "tool_result":
    case "function_call_output":
      return {
        type: "tool_result",
        id: str(raw.id) ?? str(raw.tool_use_id) ?? str(raw.call_id),
        result: parseArgs(raw.response ?? raw.result ?? raw.content ?? raw.output),
      };
    default:
      return { type: "data", value: raw };
  }
}

function openAiToolCall(raw: unknown): ChatPart {
  const fn = isObj(raw) && isObj(raw.function) ? raw.function : {};
  return {
    type: "tool_call",
    id: isObj(raw) ? str(raw.id) : null,
    name: str(fn.name) ?? "(unnamed tool)",
    arguments: parseArgs(fn.arguments),
  };
}

function parseArgs(value: unknown): unknown {
  return typeof value === "string" ? parseJsonText(value) : value;
}
