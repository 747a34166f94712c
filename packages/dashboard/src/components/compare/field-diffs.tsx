import type { FieldDiff } from "../../model/compare-diff";

/** What differs, one line a field, A beside B. Values are text, never markup. */
export function FieldDiffs({ differences }: { differences: FieldDiff[] }) {
  return (
    <table className="plain field-diffs">
      <thead>
        <tr>
          <th>Field</th>
          <th>A</th>
          <th>B</th>
        </tr>
      </thead>
      <tbody>
        {differences.map((d) => (
          <tr key={d.field} data-field={d.field} className={d.substantive ? "diverges" : "measure"}>
            <th scope="row">{d.field}</th>
            <td>
              <pre>{d.a}</pre>
            </td>
            <td>
              <pre>{d.b}</pre>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
