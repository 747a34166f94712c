import fc from "fast-check";

/**
 * Cuts spans, in the order they arrive, into the batches (requests) they arrive in: a new batch
 * starts wherever `cut` holds 0. With `arrivalCuts`, property tests try every way a collector may
 * receive the same spans.
 */
export function arrivalBatches<T>(spans: readonly T[], cut: readonly number[]): T[][] {
  const batches: T[][] = [[]];
  spans.forEach((span, i) => {
    if (cut[i] === 0 && batches.at(-1)!.length > 0) batches.push([]);
    batches.at(-1)!.push(span);
  });
  return batches;
}

/** Where `count` spans may be cut into batches, for arrivalBatches; a cut about one in `1 + max`. */
export const arrivalCuts = (count: number, max: number) =>
  fc.array(fc.nat({ max }), { minLength: count, maxLength: count });
