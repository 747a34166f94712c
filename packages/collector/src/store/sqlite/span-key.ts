const PROBE_STEP = 0x9e3779b97f4a7c15n;

/**
 * The integer key of a span: its 8-byte ID as a signed 64-bit integer, so the spans table
 * is keyed by its rowid. Probe `n` > 0 gives the alternative keys tried, in order, when the
 * key already holds a span of another trace; the sequence depends only on the span ID, so a
 * retried span finds its slot again.
 */
export function spanKey(spanIdHex: string, probe = 0): bigint {
  const base = BigInt(`0x${spanIdHex}`);
  return BigInt.asIntN(64, base + PROBE_STEP * BigInt(probe));
}

export const MAX_KEY_PROBES = 4;
