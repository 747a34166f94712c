import type { OtlpInt64 } from "../otlp/types.js";

/** SQLite integers are signed 64-bit; OTLP times are unsigned, so the last 292 years of them do not fit. */
const LATEST_NS = 2n ** 63n - 1n;

/** Epoch nanoseconds the store can hold; a later time rejects its span, naming `field`. */
export function storableTime(value: OtlpInt64, field: string): bigint {
  const ns = BigInt(value);
  if (ns > LATEST_NS) throw new Error(`${field} ${ns} is after 2262-04-11, the latest time stored`);
  return ns;
}
