import { describe, expect, it } from "vitest";
import { serializeCheckpoint } from "./checkpoint-value.js";

describe("serializeCheckpoint", () => {
  it("stores plain JSON values as they are, and undefined as null", () => {
    const value = { rows: [{ region: "east", revenue: 12_000 }], ok: true, note: null };
    expect(JSON.parse(serializeCheckpoint(value, 1_000))).toEqual(value);
    expect(serializeCheckpoint(undefined, 1_000)).toBe("null");
    expect(serializeCheckpoint(new Date(0), 1_000)).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it.each([
    [{ total: 10n }, "result.total is a BigInt"],
    [{ send: () => {} }, "result.send is a function"],
    [[1, Number.NaN], "result.1 is NaN"],
    [{ seen: new Set([1]) }, "result.seen is a Set"],
  ])("names where an unserializable value sits (%#)", (value, message) => {
    expect(() => serializeCheckpoint(value, 1_000)).toThrow(message);
  });

  it("rejects cycles", () => {
    const node: { self?: unknown } = {};
    node.self = node;
    expect(() => serializeCheckpoint(node, 1_000)).toThrow("result.self refers back to itself (a cycle)");
  });

  it("accepts the same object twice when it is not a cycle", () => {
    const shared = { a: 1 };
    expect(serializeCheckpoint({ x: shared, y: shared }, 1_000)).toBe('{"x":{"a":1},"y":{"a":1}}');
  });

  it("rejects results over the size cap instead of cutting them", () => {
    expect(() => serializeCheckpoint("x".repeat(50), 20)).toThrow(
      /52 characters as JSON, over the checkpoint limit of 20/,
    );
  });
});
