import { describe, expect, it } from "vitest";
import { parentsFirst, type TimedSpanRow } from "./span-order.js";
import type { SpanRow } from "./store.js";

const span = (spanId: string, parent: string | null, start: string): TimedSpanRow =>
  ({ trace_id: "t", span_id: spanId, parent_span_id: parent, name: spanId, _start: start }) as TimedSpanRow;
const names = (rows: SpanRow[]) => rows.map((r) => r.name);

describe("parentsFirst", () => {
  it("orders spans that start together by depth and keeps start order otherwise", () => {
    const rows = [span("a", null, "1"), span("c", "b", "2"), span("b", "a", "2"), span("d", "c", "3")];
    expect(names(parentsFirst(rows))).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the store's order for spans whose parents are not in the run", () => {
    const rows = [span("x", "elsewhere", "1"), span("y", "elsewhere", "1")];
    expect(names(parentsFirst(rows))).toEqual(["x", "y"]);
  });

  it("returns every span once when parent links form a cycle", () => {
    const rows = [span("p", "q", "1"), span("q", "p", "1"), span("r", "r", "1")];
    expect(names(parentsFirst(rows)).sort()).toEqual(["p", "q", "r"]);
  });

  it("leaves no internal field on the rows", () => {
    expect(parentsFirst([span("a", null, "1")])[0]).not.toHaveProperty("_start");
  });
});
