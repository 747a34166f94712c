import fc from "fast-check";
import type { OtlpExportTraceRequest } from "../../src/otlp/types.js";

/*
 * Mutations of valid requests: of fields (replaced by any JSON, deleted, wrapped in an array,
 * turned into a string, nested thousands deep) and of bytes (flipped, inserted, deleted,
 * truncated).
 */

/** Where in the request a field mutation lands: child indexes, each taken modulo the children. */
const path = fc.array(fc.nat(), { minLength: 1, maxLength: 9 });
export type FieldMutation =
  | { kind: "replace"; path: number[]; value: unknown }
  | { kind: "delete"; path: number[] }
  | { kind: "wrap"; path: number[] }
  | { kind: "to-string"; path: number[] }
  | { kind: "nest"; path: number[]; depth: number };
export const fieldMutation: fc.Arbitrary<FieldMutation> = fc.oneof(
  fc.record({
    kind: fc.constant("replace" as const),
    path,
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, -1, 1e308, "", [], {}, "0x12", true),
    ),
  }),
  fc.record({ kind: fc.constant("delete" as const), path }),
  fc.record({ kind: fc.constant("wrap" as const), path }),
  fc.record({ kind: fc.constant("to-string" as const), path }),
  fc.record({ kind: fc.constant("nest" as const), path, depth: fc.integer({ min: 1, max: 20_000 }) }),
);

export type ByteEdit = { at: number; op: "flip" | "insert" | "delete" | "truncate"; byte: number };
export const byteEdits = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom("flip" as const, "insert" as const, "delete" as const, "truncate" as const),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  { minLength: 1, maxLength: 6 },
);

/** Changes the request in place at `m.path` (a request with no such field is left as it is). */
export function mutateField(request: OtlpExportTraceRequest, m: FieldMutation): void {
  let parent: Record<string, unknown> | unknown[] = request as Record<string, unknown>;
  let key: string | number | undefined;
  for (const index of m.path) {
    const node: unknown = key === undefined ? parent : (parent as Record<string | number, unknown>)[key];
    if (node === null || typeof node !== "object") break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    if (key !== undefined) parent = node as Record<string, unknown>;
    key = keys[index % keys.length];
  }
  if (key === undefined) return;
  const target = parent as Record<string | number, unknown>;
  const old = target[key];
  if (m.kind === "replace") target[key] = m.value;
  else if (m.kind === "delete") delete target[key];
  else if (m.kind === "wrap") target[key] = [old];
  else if (m.kind === "to-string") target[key] = JSON.stringify(old) ?? "undefined";
  else target[key] = `${NEST}${m.depth}`;
}

/**
 * Deep values are spliced into the JSON text: JSON.stringify itself recurses, and a few
 * thousand levels overflow the sender's stack before the collector sees them.
 */
export const NEST = "\u0001nest:";
export function spliceNested(json: string): string {
  return json.replace(/"\\u0001nest:(\d+)"/g, (_match, depth: string) => {
    const n = Number(depth);
    return `${'{"arrayValue":{"values":['.repeat(n)}{"stringValue":"deep"}${"]}}".repeat(n)}`;
  });
}

export function editBytes(body: Buffer, edits: readonly ByteEdit[]): Buffer {
  let bytes: Buffer = Buffer.from(body);
  for (const { at, op, byte } of edits) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (op === "flip") bytes[i] = (bytes[i] ?? 0) ^ (byte || 1);
    else if (op === "insert")
      bytes = Buffer.concat([bytes.subarray(0, i), Buffer.of(byte), bytes.subarray(i)]);
    else if (op === "delete") bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    else bytes = bytes.subarray(0, i);
  }
  return bytes;
}
