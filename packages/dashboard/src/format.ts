export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  // Rounded before splitting, so that 24 m 59.9 s reads 25 m 0 s, not 24 m 60 s.
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

const DATE_TIME: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
};

/** The one absolute date format, e.g. "Nov 23, 2026, 14:35:00"; lists show `formatRelative`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], DATE_TIME);
}

/** How long before `now`, for lists: "12 s ago", "5 min ago", "3 h ago", "4 d ago". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const ms = now - t;
  if (ms < 0) return "just now";
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)} d ago`;
  return `${formatAge(ms)} ago`;
}

/** Wall-clock time of day, e.g. "14:35:00". */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour12: false });
}

export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "—";
  if (usd === 0) return "$0";
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  // Small amounts keep their significant digits: $0.0012, $0.000021.
  return `$${usd.toFixed(6).replace(/0+$/, "")}`;
}

export function formatTokens(input: number | null | undefined, output: number | null | undefined): string {
  if ((input ?? null) === null && (output ?? null) === null) return "—";
  return `${(input ?? 0).toLocaleString()} in · ${(output ?? 0).toLocaleString()} out`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString();
}

/** How long ago, coarsely: "12 s", "3 min", "2 h". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h`;
}

/** A total that may include calls with no known price: never shown as a plain (too low) amount. */
export function formatCostWithUnknown(
  usd: number,
  unpricedModels: readonly string[],
): {
  text: string;
  title: string | undefined;
} {
  if (unpricedModels.length === 0) return { text: formatCost(usd), title: undefined };
  return {
    text: usd > 0 ? `${formatCost(usd)} + unknown` : "unknown",
    title: `No price known for ${unpricedModels.join(", ")}`,
  };
}
