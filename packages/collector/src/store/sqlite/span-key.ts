const SPAN_BITS = 22n;
const SPAN_MASK = (1n << SPAN_BITS) - 1n;
/** 41 bits of milliseconds (until September 2039) keep the key a positive 64-bit integer. */
const MS_MASK = (1n << (63n - SPAN_BITS)) - 1n;

/**
 * The integer key (rowid) of a span: its start time in milliseconds in the high bits and 22
 * bits of its span ID in the low bits. Both are the same in every copy of a span (retries,
 * the placeholder and the final span), and keys grow with time, so inserts append near the
 * end of the table instead of touching a random page per span as a random span-ID key would
 * (which cost more than half the insert rate). Two spans that share a key are told apart by
 * trace and span ID; probe `n` > 0 gives the next keys tried, the same sequence on every retry.
 * Later times wrap around: keys stay unique by that probing, only their order restarts.
 */
export function spanKey(spanIdHex: string, startNs: bigint, probe = 0): bigint {
  const low = BigInt(`0x${spanIdHex.slice(-6)}`) & SPAN_MASK;
  return (((startNs / 1_000_000n) & MS_MASK) << SPAN_BITS) + ((low + BigInt(probe)) & SPAN_MASK);
}

export const MAX_KEY_PROBES = 8;
