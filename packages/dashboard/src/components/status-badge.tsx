const LABELS: Record<string, string> = {
  running: "running",
  ok: "ok",
  error: "error",
  interrupted: "interrupted",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`status status-${LABELS[status] ? status : "other"}`}>{LABELS[status] ?? status}</span>
  );
}
