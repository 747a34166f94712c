import { useCallback, useEffect, useRef, useState } from "react";
import type { RunComparison } from "../../model/compare-diff";
import type { CompareTarget } from "../../model/compare-url";
import { CompareHeads } from "./compare-heads";
import { EnvironmentTable } from "./environment-table";
import { FieldDiffs } from "./field-diffs";
import { StepDiffTable } from "./step-diff-table";

/** The comparison, opened on its first divergence. */
export function CompareView({ comparison, target }: { comparison: RunComparison; target: CompareTarget }) {
  const [selected, setSelected] = useState<number | null>(comparison.firstDivergence);
  const table = useRef<HTMLTableElement>(null);
  const first = comparison.firstDivergence;
  const jump = useCallback(() => {
    if (first === null) return;
    setSelected(first);
    table.current?.querySelector<HTMLElement>(`[data-row="${first}"]`)?.scrollIntoView({ block: "center" });
    table.current?.querySelector<HTMLElement>(`[data-row="${first}"] button`)?.focus();
  }, [first]);
  // Land on the first divergence, however far down the steps it is.
  useEffect(() => {
    if (first !== null)
      table.current?.querySelector(`[data-row="${first}"]`)?.scrollIntoView({ block: "center" });
  }, [first]);
  const firstRow = first === null ? null : comparison.steps[first]!;
  return (
    <div className="compare" data-ready="true">
      <CompareHeads comparison={comparison} target={target} />
      <section aria-labelledby="compare-run">
        <h3 id="compare-run">Run</h3>
        {comparison.run.length ? (
          <FieldDiffs differences={comparison.run} />
        ) : (
          <p className="muted">Same status, input, output, error and usage.</p>
        )}
      </section>
      <section aria-labelledby="compare-steps">
        <div className="compare-steps-head">
          <h3 id="compare-steps">Steps</h3>
          <p data-testid="first-divergence">
            {firstRow
              ? `First divergence: step ${firstRow.label} (${fieldsOf(firstRow.differences)})`
              : "No step diverges."}
          </p>
          <button type="button" onClick={jump} disabled={first === null}>
            Jump to first divergence
          </button>
        </div>
        <StepDiffTable ref={table} steps={comparison.steps} selected={selected} onSelect={setSelected} />
      </section>
      <EnvironmentTable rows={comparison.environment} />
    </div>
  );
}

function fieldsOf(differences: { field: string; substantive: boolean }[]): string {
  return differences
    .filter((d) => d.substantive)
    .map((d) => d.field)
    .join(", ");
}
