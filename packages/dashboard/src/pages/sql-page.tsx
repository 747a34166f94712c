import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { fetchSchema, runSql } from "../api/client";
import type { SqlResult } from "../api/schemas";
import { ErrorState } from "../components/states";
import { downloadText } from "../download";
import { useDocumentTitle } from "../hooks/use-document-title";
import { EXAMPLE_QUERIES } from "../model/example-queries";
import { toCsv, toJsonRows } from "../model/export-rows";

/** Read-only SQL over the decision store, with the schema and examples at hand. */
export function SqlPage() {
  useDocumentTitle("SQL");
  const [sql, setSql] = useState(EXAMPLE_QUERIES[0]!.sql);
  const schema = useQuery({ queryKey: ["schema"], queryFn: fetchSchema, staleTime: 60_000 });
  const query = useMutation({ mutationFn: runSql });
  const run = () => {
    if (sql.trim()) query.mutate(sql);
  };
  return (
    <section className="page sql-page">
      <div className="page-head">
        <h2>SQL</h2>
        <span className="muted">Read-only queries over runs, spans, decisions and failures.</span>
      </div>
      <div className="sql-layout">
        <div className="sql-main">
          <textarea
            className="sql-editor mono"
            aria-label="SQL query"
            spellCheck={false}
            value={sql}
            onChange={(e) => setSql(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                run();
              }
            }}
          />
          <div className="actions">
            <button type="button" className="primary" onClick={run} disabled={query.isPending}>
              {query.isPending ? "Running…" : "Run query"}
            </button>
            <span className="muted">Ctrl+Enter runs it.</span>
            <select
              aria-label="Example queries"
              value=""
              onChange={(e) => {
                const example = EXAMPLE_QUERIES[Number(e.target.value)];
                if (example) setSql(example.sql);
              }}
            >
              <option value="">Examples…</option>
              {EXAMPLE_QUERIES.map((q, i) => (
                <option key={q.title} value={i}>
                  {q.title}
                </option>
              ))}
            </select>
          </div>
          {query.isError ? <ErrorState what="the query result" error={query.error} /> : null}
          {query.data ? <SqlResultView result={query.data} /> : null}
        </div>
        <aside className="panel schema" aria-label="Schema">
          <h3>Schema</h3>
          {schema.isPending ? (
            <p className="muted">Loading schema…</p>
          ) : schema.isError ? (
            <ErrorState what="the schema" error={schema.error} />
          ) : (
            schema.data.tables.map((t) => (
              <details key={t.name} open={t.name === "runs"}>
                <summary>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setSql(`SELECT * FROM ${t.name} LIMIT 100;`)}
                  >
                    {t.name}
                  </button>
                </summary>
                <ul className="columns">
                  {t.columns.map((c) => (
                    <li key={c.name}>
                      <span className="mono">{c.name}</span> <span className="muted">{c.type}</span>
                    </li>
                  ))}
                </ul>
              </details>
            ))
          )}
        </aside>
      </div>
    </section>
  );
}

function SqlResultView({ result }: { result: SqlResult }) {
  const { columns, rows } = result;
  return (
    <section className="sql-result" aria-label="Query result">
      <div className="actions">
        <span data-testid="sql-summary">
          {rows.length.toLocaleString()} row{rows.length === 1 ? "" : "s"}
          {result.elapsedMs !== null && result.elapsedMs !== undefined
            ? ` in ${result.elapsedMs.toFixed(1)} ms`
            : ""}
          {result.truncated ? " (truncated: the row limit was reached)" : ""}
        </span>
        <button
          type="button"
          onClick={() => downloadText(toCsv(columns, rows), "flightrec-query.csv", "text/csv")}
        >
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => downloadText(toJsonRows(columns, rows), "flightrec-query.json", "application/json")}
        >
          Export JSON
        </button>
      </div>
      <div className="table-scroll">
        <table className="plain results">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no identity of their own
              <tr key={i}>
                {columns.map((c, j) => (
                  <td key={c} className={row[j] === null ? "muted" : undefined}>
                    {isRunIdColumn(c) && typeof row[j] === "string" && row[j] ? (
                      <Link to={`/runs/${encodeURIComponent(row[j])}`}>{row[j]}</Link>
                    ) : (
                      cell(row[j])
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A column holding run IDs (`run_id`, `runs.run_id` aliased, `parent_run_id`…): its cells link to the replay. */
const isRunIdColumn = (column: string) => /(^|_)run_id$/i.test(column);

function cell(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
