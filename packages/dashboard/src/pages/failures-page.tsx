import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { fetchFailures } from "../api/client";
import type { FailureList } from "../api/schemas";
import { Empty, ErrorState, Loading } from "../components/states";
import { formatRelative, formatTime } from "../format";
import { useDocumentTitle } from "../hooks/use-document-title";
import { errorLine, errorTypePrefix } from "../model/error-type-prefix";

/**
 * All failures, each counted once (at the innermost span it passed through), grouped by
 * fingerprint (error type, message pattern, failing span), by error type and by step/tool;
 * each links to its step in the replay.
 */
export function FailuresPage() {
  const [search, setSearch] = useSearchParams();
  useDocumentTitle("Failures");
  const errorType = search.get("errorType") ?? "";
  const name = search.get("name") ?? "";
  // One problem (a byFingerprint group) picked: its failures only; the list is filtered here.
  const problem = search.get("problem");
  const failures = useInfiniteQuery({
    queryKey: ["failures", errorType, name],
    queryFn: ({ pageParam }) => fetchFailures({ errorType, name, limit: 100, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const first = failures.data?.pages[0];
  const all = failures.data?.pages.flatMap((p) => p.failures) ?? [];
  const picked =
    problem === null ? null : (first?.groups.byFingerprint.find((g) => g.fingerprint === problem) ?? null);
  const items = picked ? all.filter((f) => f.fingerprint === picked.fingerprint) : all;
  const setParam = (key: "errorType" | "name" | "problem", value: string | null) => {
    const next = new URLSearchParams(search);
    if (value && next.get(key) !== value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  const filters = [errorType, name, picked ? picked.pattern : problem].filter(Boolean);
  return (
    <section className="page failures-page">
      <div className="page-head">
        <h2>Failures</h2>
        {filters.length ? (
          <button type="button" onClick={() => setSearch(new URLSearchParams())}>
            Clear filter ({filters.join(", ")})
          </button>
        ) : null}
      </div>
      {problem !== null && first && !picked ? (
        <p className="state state-error" role="alert" data-testid="problem-missing">
          No problem "{readableFingerprint(problem)}" among these failures (it may be older than the newest
          10,000); showing them all.
        </p>
      ) : null}
      {failures.isPending ? (
        <Loading what="failures" />
      ) : failures.isError && !failures.data ? (
        <ErrorState what="failures" error={failures.error} />
      ) : !first || (all.length === 0 && first.groups.byErrorType.length === 0) ? (
        errorType || name ? (
          <Empty>No failures match this filter.</Empty>
        ) : (
          <Empty>No failures recorded. Every run so far ended without an error.</Empty>
        )
      ) : (
        <>
          <FailureGroups
            groups={first.groups}
            failures={items}
            problem={picked?.fingerprint ?? null}
            onFilter={setParam}
          />
          {failures.hasNextPage ? (
            <div className="actions">
              <button
                type="button"
                onClick={() => void failures.fetchNextPage()}
                disabled={failures.isFetchingNextPage}
              >
                {failures.isFetchingNextPage ? "Loading more…" : "Load more failures"}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

/** A fingerprint's parts (error type, message pattern, failing span) as a person reads them. */
function readableFingerprint(fingerprint: string): string {
  return fingerprint.split("\u0000").filter(Boolean).join(" · ");
}

interface FailureGroupsProps {
  groups: FailureList["groups"];
  failures: FailureList["failures"];
  /** The fingerprint of the problem shown alone, if one is. */
  problem: string | null;
  onFilter: (key: "errorType" | "name" | "problem", value: string | null) => void;
}

function FailureGroups({ groups, failures, problem, onFilter }: FailureGroupsProps) {
  return (
    <div className="failures-layout">
      <div className="groups">
        {groups.byFingerprint.length > 0 ? (
          <section className="panel" aria-label="By problem">
            <h3>By problem</h3>
            <ul className="group-list problem-list">
              {groups.byFingerprint.map((g) => (
                <li
                  key={g.fingerprint}
                  className={`problem${g.fingerprint === problem ? " problem-picked" : ""}`}
                  data-testid="problem"
                >
                  <div>
                    <span className={`kind-tag kind-${g.kind}`}>{g.kind}</span> {g.name}
                  </div>
                  <div className="mono problem-pattern" title={g.latest.message}>
                    {errorLine(g.error_type, g.pattern)}
                  </div>
                  <div className="muted">
                    <span className="problem-count">
                      {g.count} {g.count === 1 ? "failure" : "failures"} in {g.runs}{" "}
                      {g.runs === 1 ? "run" : "runs"}
                    </span>{" "}
                    · last <span title={formatTime(g.last_ts)}>{formatRelative(g.last_ts)}</span>, first{" "}
                    <span title={formatTime(g.first_ts)}>{formatRelative(g.first_ts)}</span> ·{" "}
                    <Link
                      to={`/runs/${encodeURIComponent(g.latest.run_id ?? "")}?span=${encodeURIComponent(g.latest.span_id)}`}
                    >
                      latest →
                    </Link>{" "}
                    ·{" "}
                    <button
                      type="button"
                      className="link"
                      aria-pressed={g.fingerprint === problem}
                      onClick={() => onFilter("problem", g.fingerprint)}
                    >
                      {g.fingerprint === problem ? "show all" : "only these"}
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section className="panel">
          <h3>By error type</h3>
          <ul className="group-list">
            {groups.byErrorType.map((g) => (
              <li key={g.error_type ?? "(none)"}>
                <button type="button" onClick={() => onFilter("errorType", g.error_type)}>
                  <span className="mono">{g.error_type ?? "(no type)"}</span>{" "}
                  <span className="count">{g.count}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel">
          <h3>By step / tool</h3>
          <ul className="group-list">
            {groups.byName.map((g) => (
              <li key={`${g.kind}:${g.name}`}>
                <button type="button" onClick={() => onFilter("name", g.name)}>
                  <span className={`kind-tag kind-${g.kind}`}>{g.kind}</span> {g.name}{" "}
                  <span className="count">{g.count}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <ol className="failure-list">
        {failures.map((f) => (
          <li key={`${f.run_id}:${f.span_id}`} className="panel failure-item">
            <div className="failure-where">
              <Link to={`/runs/${encodeURIComponent(f.run_id ?? "")}?span=${encodeURIComponent(f.span_id)}`}>
                {f.run_name ?? "run"} <span className="mono">{f.run_id}</span>
                {f.step !== null ? ` · step ${f.step}` : ""} · {f.name}
              </Link>
              <span className="muted"> {formatTime(f.ts)}</span>
            </div>
            <div>
              {errorTypePrefix(f.error_type, f.message) ? (
                <span className="mono">{f.error_type}: </span>
              ) : null}
              <span className="error-text">{f.message}</span>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
