import type { ConversationEntry } from "../domain.js";
import type { AttributeValue } from "../otlp/attributes.js";
import { GENAI_CONTENT_EVENTS, GENAI_MESSAGE_LIST_EVENTS } from "./mappings.js";
import type { Attributes } from "./pick.js";

type Obj = { [key: string]: AttributeValue };
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The message a GenAI content event carries, in the shape our SDK records an LLM call's
 * conversation: input messages as the OpenAI API takes them (`{ role, content, tool_calls,
 * tool_call_id }`), output as `gen_ai.output.messages` (`{ role, parts, finish_reason }`).
 * An event with a list of messages gives them as a JSON array. Null for any other event.
 */
export function conversationEntryOf(
  eventName: string | null,
  body: AttributeValue,
  attrs: Attributes = {},
): ConversationEntry | null {
  if (eventName === null) return null;
  const list = GENAI_MESSAGE_LIST_EVENTS[eventName];
  if (list) return messageList(attrs, list);
  const event = GENAI_CONTENT_EVENTS[eventName];
  if (!event) return null;
  const fields = isObj(body) ? body : { content: body };
  const message = event.part === "input" ? inputMessage(event.role, fields) : outputMessage(fields);
  return { part: event.part, message: JSON.stringify(message) };
}

function inputMessage(role: string, body: Obj): Obj {
  const message: Obj = { role: typeof body.role === "string" ? body.role : role };
  if (body.content !== undefined && body.content !== null) message.content = body.content;
  if (Array.isArray(body.tool_calls)) message.tool_calls = body.tool_calls;
  if (typeof body.id === "string") message.tool_call_id = body.id;
  return message;
}

/** A `gen_ai.choice`: `{ index, finish_reason, message: { content, tool_calls } }`. */
function outputMessage(body: Obj): Obj {
  const message = isObj(body.message) ? body.message : {};
  const parts: AttributeValue[] = [];
  if (typeof message.content === "string") parts.push({ type: "text", content: message.content });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const fn = isObj(call) && isObj(call.function) ? call.function : {};
    parts.push({
      type: "tool_call",
      id: isObj(call) && typeof call.id === "string" ? call.id : null,
      name: typeof fn.name === "string" ? fn.name : null,
      arguments: fn.arguments ?? null,
    });
  }
  const role = typeof message.role === "string" ? message.role : "assistant";
  return { role, parts, finish_reason: typeof body.finish_reason === "string" ? body.finish_reason : null };
}

/** The input or output messages an event lists in its attributes (as values or JSON text). */
function messageList(attrs: Attributes, keys: { input: string; output: string }): ConversationEntry | null {
  for (const part of ["input", "output"] as const) {
    let value: unknown = attrs[keys[part]];
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        continue;
      }
    }
    if (Array.isArray(value) && value.length > 0) return { part, message: JSON.stringify(value) };
  }
  return null;
}
