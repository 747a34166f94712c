/** One row of an alignment: an item's position in `a` and in `b`; null where a side has none. */
export interface AlignedPair {
  a: number | null;
  b: number | null;
}

/**
 * Aligns two sequences by key (for steps: the step name), the n-th occurrence of a key in `a`
 * with its n-th occurrence in `b`, so a loop that runs a step three times here and twice there
 * pairs the first two. Pairs keep both orders: of the candidates, the longest chain increasing in
 * both is kept, and an item moved elsewhere shows as removed here and added there. Rows follow
 * both orders; between two pairs, `a`'s lone items come before `b`'s.
 */
export function alignByKey(a: readonly string[], b: readonly string[]): AlignedPair[] {
  const pairs = longestOrderedChain(candidatePairs(a, b));
  const rows: AlignedPair[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as const]) {
    for (; i < pi; i++) rows.push({ a: i, b: null });
    for (; j < pj; j++) rows.push({ a: null, b: j });
    if (pi < a.length && pj < b.length) rows.push({ a: pi, b: pj });
    i = pi + 1;
    j = pj + 1;
  }
  return rows;
}

/** (i, j) for each item of `a` whose occurrence of its key `b` has too; increasing in i. */
function candidatePairs(a: readonly string[], b: readonly string[]): [number, number][] {
  const inB = new Map(occurrenceKeys(b).map((key, j) => [key, j]));
  const pairs: [number, number][] = [];
  occurrenceKeys(a).forEach((key, i) => {
    const j = inB.get(key);
    if (j !== undefined) pairs.push([i, j]);
  });
  return pairs;
}

function occurrenceKeys(keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${n}\u0000${key}`;
  });
}

/** The longest subsequence of pairs (already increasing in i) also increasing in j: O(n log n). */
function longestOrderedChain(pairs: readonly [number, number][]): [number, number][] {
  const tails: number[] = []; // tails[k]: index into pairs of the smallest-j end of a chain of k+1
  const previous = new Array<number>(pairs.length).fill(-1);
  pairs.forEach(([, j], p) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[p] = tails[lo - 1]!;
    tails[lo] = p;
  });
  const chain: [number, number][] = [];
  for (let p = tails.length ? tails[tails.length - 1]! : -1; p !== -1; p = previous[p]!)
    chain.push(pairs[p]!);
  return chain.reverse();
}
