import type { AttributeValue } from "../otlp/attributes.js";
import type { Attributes } from "./pick.js";

/**
 * Assembles flattened indexed attributes (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `llm.input_messages.1.message.content`, …) under any of `prefixes` into a JSON array of
 * objects; null when none are present.
 */
export function indexedMessages(attrs: Attributes, prefixes: readonly string[]): string | null {
  for (const prefix of prefixes) {
    const items: Record<string, AttributeValue>[] = [];
    const head = `${prefix}.`;
    for (const key in attrs) {
      if (!key.startsWith(head)) continue;
      const match = /^(\d+)\.(?:message\.)?(.+)$/.exec(key.slice(head.length));
      if (!match) continue;
      const index = Number(match[1]);
      items[index] ??= {};
      items[index]![match[2]!] = attrs[key]!;
    }
    if (items.length > 0) return JSON.stringify(items.map((item) => item ?? {}));
  }
  return null;
}
