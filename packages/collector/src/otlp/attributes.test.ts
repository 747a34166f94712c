import { describe, expect, it } from "vitest";
import { attributesToObject, MAX_VALUE_NESTING, NESTING_CUT } from "./attributes.js";
import type { OtlpAnyValue, OtlpKeyValue } from "./types.js";

/** What a JSON body can hold where the wire types promise more. */
const wire = (list: unknown) => list as OtlpKeyValue[];

describe("attributesToObject", () => {
  it("maps every AnyValue type", () => {
    expect(
      attributesToObject([
        { key: "s", value: { stringValue: "" } },
        { key: "b", value: { boolValue: false } },
        { key: "i", value: { intValue: "-9007199254740993" } },
        { key: "d", value: { doubleValue: 0.5 } },
        { key: "a", value: { arrayValue: { values: [{ intValue: 1 }, {}] } } },
        { key: "k", value: { kvlistValue: { values: [{ key: "x", value: { boolValue: true } }] } } },
        { key: "y", value: { bytesValue: "AAE=" } },
        { key: "none" },
      ]),
    ).toEqual({
      s: "",
      b: false,
      i: "-9007199254740993",
      d: 0.5,
      a: [1, null],
      k: { x: true },
      y: "AAE=",
      none: null,
    });
  });

  it("reads malformed nested values leniently instead of throwing", () => {
    expect(
      attributesToObject(
        wire([
          { key: "nullArray", value: { arrayValue: null } },
          { key: "nullKvlist", value: { kvlistValue: null, stringValue: "kept" } },
          { key: "stringValues", value: { arrayValue: { values: "x" } } },
          { key: "objectValues", value: { kvlistValue: { values: { key: "x" } } } },
          { key: "badItems", value: { kvlistValue: { values: [null, 3, { key: 4 }, { key: "ok" }] } } },
          null,
          { key: "last", value: { boolValue: true } },
        ]),
      ),
    ).toEqual({
      nullArray: null,
      nullKvlist: "kept",
      stringValues: [],
      objectValues: {},
      badItems: { ok: null },
      last: true,
    });
  });

  it("cuts values nested deeper than MAX_VALUE_NESTING, so neither the stack nor SQLite's JSON depth runs out", () => {
    let value: OtlpAnyValue = { stringValue: "bottom" };
    for (let i = 0; i < 20_000; i++) value = { arrayValue: { values: [value] } };
    const mapped = attributesToObject([{ key: "deep", value }]);
    let depth = 0;
    let node: unknown = mapped.deep;
    while (Array.isArray(node)) {
      node = node[0];
      depth++;
    }
    expect([depth, node]).toEqual([MAX_VALUE_NESTING, NESTING_CUT]);
  });

  it("keeps an attribute named __proto__ as an attribute, never as the object's prototype", () => {
    const inner = { key: "flightrec.run.id", value: { stringValue: "not-this-span" } };
    const mapped = attributesToObject([
      { key: "__proto__", value: { kvlistValue: { values: [inner] } } },
      { key: "b", value: { stringValue: "B" } },
    ]);
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(mapped["flightrec.run.id"]).toBeUndefined();
    expect(JSON.stringify(mapped)).toBe('{"__proto__":{"flightrec.run.id":"not-this-span"},"b":"B"}');
  });
});
