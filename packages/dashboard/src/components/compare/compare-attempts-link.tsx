import { Link } from "react-router";
import type { RunRow } from "../../api/schemas";
import { compareHref } from "../../model/compare-url";

/** On a run that was resumed: its last two attempts side by side. */
export function CompareAttemptsLink({ run }: { run: RunRow }) {
  if (run.attempts < 2) return null;
  const last = run.attempts;
  const href = compareHref({
    a: { runId: run.run_id, attempt: last - 1 },
    b: { runId: run.run_id, attempt: last },
  });
  return (
    <p className="compare-attempts">
      <Link to={href}>
        Compare attempt {last - 1} with attempt {last}
      </Link>
    </p>
  );
}
