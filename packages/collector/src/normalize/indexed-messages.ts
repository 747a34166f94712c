import type { AttributeValue } from "../otlp/attributes.js";
import type { Attributes } from "./pick.js";

/**
 * OpenInference wraps each list item in a segment named after its type
 * (`tool_calls.0.tool_call.id`, `contents.0.message_content.text`); dropping it gives the shape
 * the same message has in the provider's API (`tool_calls[0].id`).
 */
const ITEM_WRAPPERS = new Set(["message", "tool_call", "message_content"]);

/** Positions inside a message beyond this are dropped: one attribute must not build a huge array. */
const MAX_NESTED_INDEX = 9_999;

type Node = Record<string, unknown> | unknown[];

const isNumeric = (segment: string) => /^\d+$/.test(segment);
const isNestedIndex = (segment: string) => /^\d{1,4}$/.test(segment) && Number(segment) <= MAX_NESTED_INDEX;

/**
 * Assembles flattened indexed attributes (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `llm.input_messages.1.message.tool_calls.0.tool_call.function.name`, …) under any of
 * `prefixes` into a JSON array of messages in index order, nested paths as nested objects and
 * arrays; null when none are present. Only the message indexes present are kept: an array
 * indexed by them would cost memory and time for the largest index a sender writes.
 */
export function indexedMessages(attrs: Attributes, prefixes: readonly string[]): string | null {
  for (const prefix of prefixes) {
    const messages = new Map<number, Record<string, unknown>>();
    const head = `${prefix}.`;
    for (const key in attrs) {
      if (!key.startsWith(head)) continue;
      const [index, ...path] = key.slice(head.length).split(".");
      if (!isNumeric(index!) || path.length === 0) continue;
      let message = messages.get(Number(index));
      if (!message) {
        // No prototype, so that a field named "__proto__" is a field.
        message = Object.create(null) as Record<string, unknown>;
        messages.set(Number(index), message);
      }
      setPath(message, unwrapItems(path, true), attrs[key]!);
    }
    if (messages.size > 0) {
      const indexes = [...messages.keys()].sort((a, b) => a - b);
      return JSON.stringify(indexes.map((index) => messages.get(index)));
    }
  }
  return null;
}

/** Drops the wrapper segment of each list item; `afterIndex` says the path starts right after one. */
function unwrapItems(path: string[], afterIndex: boolean): string[] {
  return path.filter(
    (segment, i) => !(ITEM_WRAPPERS.has(segment) && (i === 0 ? afterIndex : isNumeric(path[i - 1]!))),
  );
}

/** Sets `value` at `path`, creating arrays under numeric segments; a path that runs into a value is dropped. */
function setPath(root: Record<string, unknown>, path: string[], value: AttributeValue): void {
  let node: Node = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (Array.isArray(node) && !isNestedIndex(segment)) return;
    const key = Array.isArray(node) ? Number(segment) : segment;
    const slot = node as Record<string | number, unknown>;
    const existing = slot[key];
    if (i === path.length - 1) {
      if (existing === undefined) slot[key] = value;
      return;
    }
    if (existing === undefined) {
      const child: Node = isNumeric(path[i + 1]!) ? [] : Object.create(null);
      slot[key] = child;
      node = child;
    } else if (typeof existing === "object" && existing !== null) {
      node = existing as Node;
    } else {
      return;
    }
  }
}
