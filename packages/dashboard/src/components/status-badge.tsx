const LABELS: Record<string, string> = {
  running: "running",
  ok: "ok",
  error: "error",
  interrupted: "interrupted",
};

/** A status pill; a failure the run recovered from reads "failed · recovered", not a red error. */
export function StatusBadge({ status, recovered = false }: { status: string; recovered?: boolean }) {
  if (status === "error" && recovered)
    return <span className="status status-recovered">failed · recovered</span>;
  return (
    <span className={`status status-${LABELS[status] ? status : "other"}`}>{LABELS[status] ?? status}</span>
  );
}
