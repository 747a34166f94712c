import { describe, expect, it } from "vitest";
import { type AlignedPair, alignByKey } from "./compare-align";

const names = (rows: AlignedPair[], a: string[], b: string[]) =>
  rows.map((r) => `${r.a === null ? "-" : a[r.a]}|${r.b === null ? "-" : b[r.b]}`);

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function sequence(next: () => number): string[] {
  const length = Math.floor(next() * 12);
  return Array.from({ length }, () => "abcde"[Math.floor(next() * 5)]!);
}

describe("alignByKey", () => {
  it("pairs equal steps and leaves the steps only one run took on their own row", () => {
    const a = ["fetch", "clean", "analyze", "email"];
    const b = ["fetch", "analyze", "retry", "email", "notify"];
    expect(names(alignByKey(a, b), a, b)).toEqual([
      "fetch|fetch",
      "clean|-",
      "analyze|analyze",
      "-|retry",
      "email|email",
      "-|notify",
    ]);
  });

  it("pairs the n-th run of a repeated step with the n-th", () => {
    const a = ["plan", "act", "act", "act", "answer"];
    const b = ["plan", "act", "act", "answer"];
    expect(names(alignByKey(a, b), a, b)).toEqual([
      "plan|plan",
      "act|act",
      "act|act",
      "act|-",
      "answer|answer",
    ]);
  });

  it("shows a step moved elsewhere as removed and added, never as crossing pairs", () => {
    const a = ["x", "y", "z"];
    const b = ["z", "x", "y"];
    expect(names(alignByKey(a, b), a, b)).toEqual(["-|z", "x|x", "y|y", "z|-"]);
  });

  it("for any two sequences: every item once, both orders kept, pairs equal, the same pairs either way round", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const a = sequence(next);
      const b = sequence(next);
      const rows = alignByKey(a, b);
      const as = rows.flatMap((r) => (r.a === null ? [] : [r.a]));
      const bs = rows.flatMap((r) => (r.b === null ? [] : [r.b]));
      expect(as, `seed ${seed}`).toEqual(a.map((_, i) => i));
      expect(bs, `seed ${seed}`).toEqual(b.map((_, i) => i));
      for (const r of rows) if (r.a !== null && r.b !== null) expect(a[r.a], `seed ${seed}`).toBe(b[r.b]);
      // Against itself, everything pairs.
      expect(
        alignByKey(a, a).every((r) => r.a === r.b && r.a !== null),
        `seed ${seed}`,
      ).toBe(true);
      // Swapping sides swaps the pairs.
      const swapped = alignByKey(b, a).filter((r) => r.a !== null && r.b !== null);
      expect(swapped.length, `seed ${seed}`).toBe(rows.filter((r) => r.a !== null && r.b !== null).length);
    }
  });
});
