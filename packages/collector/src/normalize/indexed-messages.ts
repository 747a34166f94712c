import type { AttributeValue } from "../otlp/attributes.js";
import type { Attributes } from "./pick.js";

/**
 * OpenInference wraps each list item in a segment named after its type
 * (`tool_calls.0.tool_call.id`, `contents.0.message_content.text`); dropping it gives the shape
 * the same message has in the provider's API (`tool_calls[0].id`).
 */
const ITEM_WRAPPERS = new Set(["message", "tool_call", "message_content"]);

/** List positions beyond this are dropped: one attribute naming item 99999999 must not build a huge array. */
const MAX_INDEX = 9_999;

type Node = Record<string, unknown> | unknown[];

const isIndex = (segment: string) => /^\d{1,4}$/.test(segment) && Number(segment) <= MAX_INDEX;
const isNumeric = (segment: string) => /^\d+$/.test(segment);

/**
 * Assembles flattened indexed attributes (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `llm.input_messages.1.message.tool_calls.0.tool_call.function.name`, …) under any of
 * `prefixes` into a JSON array of messages, nested paths as nested objects and arrays; null
 * when none are present.
 */
export function indexedMessages(attrs: Attributes, prefixes: readonly string[]): string | null {
  for (const prefix of prefixes) {
    const items: unknown[] = [];
    const head = `${prefix}.`;
    for (const key in attrs) {
      if (!key.startsWith(head)) continue;
      const path = key.slice(head.length).split(".");
      if (!isIndex(path[0]!) || path.length < 2) continue;
      setPath(items, unwrapItems(path), attrs[key]!);
    }
    if (items.length > 0) return JSON.stringify(Array.from(items, (item) => item ?? {}));
  }
  return null;
}

function unwrapItems(path: string[]): string[] {
  return path.filter((segment, i) => !(i > 0 && isNumeric(path[i - 1]!) && ITEM_WRAPPERS.has(segment)));
}

/** Sets `value` at `path`, creating arrays under numeric segments; a path that runs into a value is dropped. */
function setPath(root: unknown[], path: string[], value: AttributeValue): void {
  let node: Node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (Array.isArray(node) && !isIndex(segment)) return;
    const key = Array.isArray(node) ? Number(segment) : segment;
    // Null-prototype objects: a segment named __proto__ is data, never a prototype.
    const existing = (node as Record<string | number, unknown>)[key];
    if (last) {
      if (existing === undefined) (node as Record<string | number, unknown>)[key] = value;
      return;
    }
    if (existing === undefined) {
      const child: Node = isNumeric(path[i + 1]!) ? [] : Object.create(null);
      (node as Record<string | number, unknown>)[key] = child;
      node = child;
    } else if (typeof existing === "object" && existing !== null) {
      node = existing as Node;
    } else {
      return;
    }
  }
}
