import type { AttributeValue } from "../otlp/attributes.js";
import type { Attributes } from "./pick.js";

type Message = Record<string, AttributeValue>;

/**
 * Assembles flattened indexed attributes (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `llm.input_messages.1.message.content`, …) under any of `prefixes` into a JSON array of
 * objects, in index order; null when none are present. Only the indexes present are kept: an
 * array indexed by them would cost memory and time for the largest index a sender writes.
 */
export function indexedMessages(attrs: Attributes, prefixes: readonly string[]): string | null {
  for (const prefix of prefixes) {
    const messages = new Map<number, Message>();
    const head = `${prefix}.`;
    for (const key in attrs) {
      if (!key.startsWith(head)) continue;
      const match = /^(\d+)\.(?:message\.)?(.+)$/.exec(key.slice(head.length));
      if (!match) continue;
      const index = Number(match[1]);
      let message = messages.get(index);
      if (!message) {
        // No prototype, so that a field named "__proto__" is a field.
        message = Object.create(null) as Message;
        messages.set(index, message);
      }
      message[match[2]!] = attrs[key]!;
    }
    if (messages.size > 0) {
      const indexes = [...messages.keys()].sort((a, b) => a - b);
      return JSON.stringify(indexes.map((index) => messages.get(index)));
    }
  }
  return null;
}
