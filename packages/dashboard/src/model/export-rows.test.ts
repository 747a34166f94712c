import { describe, expect, it } from "vitest";
import { toCsv, toJsonRows } from "./export-rows";

describe("export rows", () => {
  it("writes CSV with quoting", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          [1, 'say "hi", ok'],
          [null, "x\ny"],
        ],
      ),
    ).toBe('a,b\r\n1,"say ""hi"", ok"\r\n,"x\ny"\r\n');
  });

  it("writes JSON objects by column", () => {
    expect(JSON.parse(toJsonRows(["a", "b"], [[1, null]]))).toEqual([{ a: 1, b: null }]);
  });
});
