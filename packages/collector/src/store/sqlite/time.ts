/** ISO-8601 UTC text with milliseconds, from epoch nanoseconds. */
export function nsToIso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

export function durationMs(startNs: bigint, endNs: bigint | null): number | null {
  if (endNs === null) return null;
  return Number(endNs - startNs) / 1e6;
}
