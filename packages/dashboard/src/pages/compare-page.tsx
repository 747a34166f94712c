import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { isNotFound } from "../api/api-error";
import { fetchRun } from "../api/client";
import type { RunDetail } from "../api/schemas";
import { CompareView } from "../components/compare/compare-view";
import { ErrorState, Loading } from "../components/states";
import { compareRuns } from "../model/compare-diff";
import { compareSide } from "../model/compare-side";
import { type CompareTarget, compareTargetFromSearch } from "../model/compare-url";
import "./compare-page.css";

/** Two runs, or two attempts, side by side: `/compare?a=…&b=…[&attemptA=…][&attemptB=…]`. */
export function ComparePage() {
  const [search] = useSearchParams();
  const parsed = useMemo(() => compareTargetFromSearch(search), [search]);
  return (
    <section className="page compare-page">
      <p>
        <Link to="/">← All runs</Link>
      </p>
      <h2>Compare</h2>
      {parsed.target ? <LoadedCompare target={parsed.target} /> : <Problems problems={parsed.problems} />}
    </section>
  );
}

function LoadedCompare({ target }: { target: CompareTarget }) {
  const a = useRunDetail(target.a.runId);
  const b = useRunDetail(target.b.runId);
  const comparison = useMemo(() => {
    if (!a.data || !b.data) return null;
    const problems = [
      missingAttempt("A", a.data, target.a.attempt),
      missingAttempt("B", b.data, target.b.attempt),
    ].filter((p): p is string => p !== null);
    if (problems.length) return { problems, result: null };
    const result = compareRuns(compareSide(a.data, target.a.attempt), compareSide(b.data, target.b.attempt));
    return { problems, result };
  }, [a.data, b.data, target]);
  if (a.isError) return <ErrorState what={`run ${target.a.runId}`} error={a.error} />;
  if (b.isError) return <ErrorState what={`run ${target.b.runId}`} error={b.error} />;
  if (!comparison) return <Loading what="both runs" />;
  if (!comparison.result) return <Problems problems={comparison.problems} />;
  return <CompareView comparison={comparison.result} target={target} />;
}

function useRunDetail(runId: string) {
  // Whole spans: compare reads every step's input, output and attributes.
  return useQuery({
    queryKey: ["run", runId, "whole"],
    queryFn: () => fetchRun(runId),
    retry: (count, error) => !isNotFound(error) && count < 2,
  });
}

function missingAttempt(side: string, detail: RunDetail, attempt: number | null): string | null {
  if (attempt === null || detail.spans.some((s) => s.attempt === attempt)) return null;
  const has = detail.run.attempts === 1 ? "1 attempt" : `${detail.run.attempts} attempts`;
  return `${side}: run "${detail.run.run_id}" has no attempt ${attempt} (it has ${has})`;
}

function Problems({ problems }: { problems: string[] }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Cannot compare.</strong>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <p>Pick two runs in the run list and press Compare, or open a run with several attempts.</p>
    </div>
  );
}
