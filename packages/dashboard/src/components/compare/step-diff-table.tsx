import { Fragment, forwardRef } from "react";
import type { StepRow } from "../../model/compare-diff";
import { StatusBadge } from "../status-badge";
import { FieldDiffs } from "./field-diffs";

export interface StepDiffTableProps {
  steps: StepRow[];
  selected: number | null;
  onSelect: (row: number | null) => void;
}

/** The aligned steps, a row each; the selected one opens to what differs. */
export const StepDiffTable = forwardRef<HTMLTableElement, StepDiffTableProps>(function StepDiffTable(
  { steps, selected, onSelect },
  ref,
) {
  return (
    <table className="plain step-diffs" aria-label="Steps compared" ref={ref}>
      <thead>
        <tr>
          <th>Step</th>
          <th>A</th>
          <th>B</th>
          <th>Differs in</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((row, i) => (
          <Fragment key={`${row.a?.span.span_id ?? ""}|${row.b?.span.span_id ?? ""}`}>
            <tr
              data-row={i}
              data-step={row.label}
              data-diverges={row.diverges}
              className={`${row.diverges ? "diverges" : ""} ${selected === i ? "selected" : ""}`}
            >
              <th scope="row">
                <button
                  type="button"
                  className="link"
                  aria-expanded={selected === i}
                  onClick={() => onSelect(selected === i ? null : i)}
                >
                  {row.label}
                </button>
              </th>
              <td>
                {row.a ? <StatusBadge status={row.a.status} /> : <span className="muted">did not run</span>}
              </td>
              <td>
                {row.b ? <StatusBadge status={row.b.status} /> : <span className="muted">did not run</span>}
              </td>
              <td>
                <DiffersIn row={row} />
              </td>
            </tr>
            {selected === i ? (
              <tr className="step-detail" data-detail-of={i}>
                <td colSpan={4}>
                  {row.differences.length ? (
                    <FieldDiffs differences={row.differences} />
                  ) : (
                    <p className="muted">Both sides ran this step alike.</p>
                  )}
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
});

/** What makes the step diverge, then (muted) what differs without doing so: usage, timing, a replay. */
function DiffersIn({ row }: { row: StepRow }) {
  if (!row.differences.length) return <span className="muted">same</span>;
  const fields = (substantive: boolean) =>
    row.differences
      .filter((d) => d.substantive === substantive)
      .map((d) => d.field)
      .join(", ");
  const diverging = fields(true);
  const other = fields(false);
  return (
    <>
      <span className="differs">{diverging}</span>
      {other ? <span className="muted other-differences">{diverging ? ` · ${other}` : other}</span> : null}
    </>
  );
}
