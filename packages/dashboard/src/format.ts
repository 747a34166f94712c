export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export function formatCost(usd: number | null): string {
  return usd === null ? "—" : `$${usd.toFixed(usd < 0.01 ? 5 : 4)}`;
}
