import type { EnvironmentRow } from "../../model/compare-diff";

/** The two attempts' resource attributes, differing ones first. */
export function EnvironmentTable({ rows }: { rows: EnvironmentRow[] }) {
  const differing = rows.filter((r) => r.differs);
  const ordered = [...differing, ...rows.filter((r) => !r.differs)];
  return (
    <section aria-labelledby="compare-environment">
      <h3 id="compare-environment">Environment</h3>
      {rows.length === 0 ? (
        <p className="muted">Neither run says where it ran (no resource attributes recorded).</p>
      ) : (
        <>
          <p className="muted">
            {differing.length === 0
              ? "The same service, SDK, runtime and host."
              : `${differing.length} of ${rows.length} attributes differ.`}
          </p>
          <table className="plain environment" aria-label="Environment">
            <thead>
              <tr>
                <th>Attribute</th>
                <th>A</th>
                <th>B</th>
              </tr>
            </thead>
            <tbody>
              {ordered.map((r) => (
                <tr key={r.key} data-key={r.key} className={r.differs ? "diverges" : undefined}>
                  <th scope="row" className="mono">
                    {r.key}
                  </th>
                  <td className="mono">{r.a ?? "—"}</td>
                  <td className="mono">{r.b ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
