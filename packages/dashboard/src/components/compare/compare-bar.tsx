import { useNavigate } from "react-router";
import { compareHref } from "../../model/compare-url";

/** Picking a third run lets go of the first picked: a compare holds two. */
export function pickForCompare(picked: readonly string[], runId: string): string[] {
  if (picked.includes(runId)) return picked.filter((id) => id !== runId);
  return [...picked, runId].slice(-2);
}

/** Compare the two runs picked in the list; until then, says how. */
export function CompareBar({ picked, onClear }: { picked: readonly string[]; onClear: () => void }) {
  const navigate = useNavigate();
  const [a, b] = picked;
  return (
    <span className="compare-bar">
      {a && b ? (
        <button
          type="button"
          className="primary"
          onClick={() =>
            navigate(compareHref({ a: { runId: a, attempt: null }, b: { runId: b, attempt: null } }))
          }
        >
          Compare 2 runs
        </button>
      ) : (
        <span className="muted">{a ? "Pick one more run to compare" : "Pick two runs to compare"}</span>
      )}
      {a ? (
        <button type="button" className="link" onClick={onClear}>
          Clear
        </button>
      ) : null}
    </span>
  );
}
