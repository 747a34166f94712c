import type { OtlpInt64 } from "../otlp/types.js";

/** SQLite integers are signed 64-bit; OTLP times are unsigned, so the last 292 years of them do not fit. */
const LATEST_NS = 2n ** 63n - 1n;

/** Epoch nanoseconds the store can hold; a later time rejects its span, naming `field`. */
export function storableTime(value: OtlpInt64, field: string): bigint {
  const ns = BigInt(value);
  if (ns > LATEST_NS) throw new Error(`${field} ${ns} is after 2262-04-11, the latest time stored`);
  return ns;
}

/**
 * A time that is set: zero is protobuf's default, which the protobuf decoder already drops but
 * OTLP/JSON senders that write every field send as "0" (an end time of 1970).
 */
export function timeIfSet(value: OtlpInt64 | undefined): OtlpInt64 | undefined {
  return value === undefined || BigInt(value) === 0n ? undefined : value;
}

/** A span's start time: it must be set, or the span is rejected alone. */
export function startTime(value: OtlpInt64): bigint {
  const ns = storableTime(value, "startTimeUnixNano");
  if (ns === 0n) throw new Error("startTimeUnixNano is not set: a span needs its start time");
  return ns;
}
