import { Link, useNavigate } from "react-router";
import { formatTime } from "../../format";
import type { RunComparison } from "../../model/compare-diff";
import type { CompareSide } from "../../model/compare-side";
import { type CompareTarget, compareHref } from "../../model/compare-url";
import { spanStatus } from "../../model/span-status";
import { StatusBadge } from "../status-badge";

/** Which run (and attempt) each side is, with a way to pick another attempt. */
export function CompareHeads({ comparison, target }: { comparison: RunComparison; target: CompareTarget }) {
  return (
    <div className="compare-heads">
      <SideHead label="A" side={comparison.a} target={target} which="a" />
      <SideHead label="B" side={comparison.b} target={target} which="b" />
    </div>
  );
}

function SideHead({
  label,
  side,
  target,
  which,
}: {
  label: string;
  side: CompareSide;
  target: CompareTarget;
  which: "a" | "b";
}) {
  const navigate = useNavigate();
  const { run } = side;
  const status = side.root ? spanStatus(side.root) : run.status;
  const attempts = Array.from({ length: run.attempts }, (_, i) => i + 1);
  const pick = (attempt: number) =>
    navigate(compareHref({ ...target, [which]: { runId: run.run_id, attempt } }), { replace: true });
  return (
    <div className="compare-head" data-side={which}>
      <span className="compare-label">{label}</span>
      <div>
        <strong>{run.name ?? "(unnamed run)"}</strong> <StatusBadge status={status} />
        <div className="mono">
          <Link to={`/runs/${encodeURIComponent(run.run_id)}`}>{run.run_id}</Link>
        </div>
        <div className="muted">
          {formatTime(side.root?.started_at ?? run.started_at)}
          {run.attempts > 1 ? (
            <label>
              {" · attempt "}
              <select
                aria-label={`Attempt of ${label}`}
                value={side.attempt ?? run.attempts}
                onChange={(e) => pick(Number(e.target.value))}
              >
                {attempts.map((n) => (
                  <option key={n} value={n}>
                    {n} of {run.attempts}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
      </div>
    </div>
  );
}
