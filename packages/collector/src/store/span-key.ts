const SPAN_BITS = 22n;
const SPAN_MASK = (1n << SPAN_BITS) - 1n;
/** 41 high bits keep the key a positive 64-bit integer. */
const HIGH_MASK = (1n << (63n - SPAN_BITS)) - 1n;

/**
 * The integer key (rowid) of a span: `high` in the high bits and 22 bits of its span ID in the
 * low bits. `high` is its trace's key base (`traces.key_base`), the same for every copy of the
 * span whatever its times (a retry, the placeholder and the final span, a re-timed copy), so
 * finding a stored copy is one rowid probe. Bases are handed out in the order traces arrive,
 * so a trace's spans sit together and inserts append near the end of the table instead of
 * touching a random page per span as a key on the random IDs would (which cost more than half
 * the insert rate). Two spans that share a key are told apart by trace and span ID; probe
 * `n` > 0 gives the next keys tried, the same sequence on every retry, all within the range
 * of `high` (see keyRange).
 *
 * Spans of traces stored before the `traces` table existed keep keys whose high bits are
 * their start time in milliseconds (startTimeKeyHigh). Higher values wrap around: keys stay
 * unique by probing, only their order restarts.
 */
export function spanKey(high: bigint, spanIdHex: string, probe = 0): bigint {
  const low = BigInt(`0x${spanIdHex.slice(-6)}`) & SPAN_MASK;
  return ((high & HIGH_MASK) << SPAN_BITS) + ((low + BigInt(probe)) & SPAN_MASK);
}

/** The high bits of the keys of spans of traces stored before the `traces` table. */
export function startTimeKeyHigh(startNs: bigint): bigint {
  return startNs / 1_000_000n;
}

/** The high bits of a key. */
export function keyBaseOf(key: bigint): bigint {
  return key >> SPAN_BITS;
}

/** The key base given to the trace that arrives after the one with `base`. */
export function keyBaseAfter(base: bigint): bigint {
  return (base + 1n) & HIGH_MASK;
}

/** SQL for the first and last key any span of the trace with key base `base` can have. */
export const KEY_RANGE_SQL = {
  first: (base: string) => `(${base} << ${SPAN_BITS})`,
  last: (base: string) => `((${base} << ${SPAN_BITS}) + ${SPAN_MASK})`,
};

export const MAX_KEY_PROBES = 8;
