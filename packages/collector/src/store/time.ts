/** The ISO text up to the minute ("2026-11-23T21:17:"), of the last minute formatted. */
let minuteMs = Number.NaN;
let minutePrefix = "";

/**
 * ISO-8601 UTC text with milliseconds, from epoch nanoseconds. Called twice per stored span on
 * the writer thread, and a batch's spans mostly share their minute, so only the seconds and
 * milliseconds are formatted per call and the rest comes from the last minute seen.
 */
export function nsToIso(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const intoMinute = ms - Math.floor(ms / 60_000) * 60_000;
  const minute = ms - intoMinute;
  if (minute !== minuteMs) {
    const iso = new Date(minute).toISOString();
    // Years beyond 9999 or before 0 do not have the fixed 17-character prefix.
    if (iso.length !== 24) return new Date(ms).toISOString();
    minuteMs = minute;
    minutePrefix = iso.slice(0, 17);
  }
  const seconds = Math.floor(intoMinute / 1000);
  const millis = intoMinute - seconds * 1000;
  return `${minutePrefix}${seconds < 10 ? "0" : ""}${seconds}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

export function durationMs(startNs: bigint, endNs: bigint | null): number | null {
  if (endNs === null) return null;
  return Number(endNs - startNs) / 1e6;
}
