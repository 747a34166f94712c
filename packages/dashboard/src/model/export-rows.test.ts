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

  it("writes text a spreadsheet would run as a formula as text, and numbers as numbers", () => {
    const cells = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "a=b"];
    expect(
      toCsv(
        ["v"],
        cells.map((cell) => [cell]),
      ),
    ).toBe(
      [
        "v",
        '"\'=HYPERLINK(""http://evil.example"")"',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        '"\'\rx"',
        "a=b",
        "",
      ].join("\r\n"),
    );
    expect(toCsv(["n", "cost"], [[-5, -0.25]])).toBe("n,cost\r\n-5,-0.25\r\n");
  });

  it("writes JSON objects by column", () => {
    expect(JSON.parse(toJsonRows(["a", "b"], [[1, null]]))).toEqual([{ a: 1, b: null }]);
  });
});
