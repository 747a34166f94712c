import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { isNotFound } from "../api/api-error";
import { fetchRunOutline } from "../api/client";
import type { RunOutline } from "../api/schemas";
import { CompareAttemptsLink } from "../components/compare/compare-attempts-link";
import { Inspector } from "../components/replay/inspector";
import { Player } from "../components/replay/player";
import { ReplayHeader } from "../components/replay/replay-header";
import { Waterfall } from "../components/replay/waterfall";
import { Empty, ErrorState, Loading } from "../components/states";
import { pollInterval, useLiveMode } from "../hooks/live-updates";
import { useDocumentTitle } from "../hooks/use-document-title";
import { useReplayCursor } from "../hooks/use-replay-cursor";
import { usePrefetchSpans } from "../hooks/use-whole-span";
import { cumulativeTotals } from "../model/cumulative";
import { indexRunEvents } from "../model/frame";
import { frameLogLines, logLinesBySpan } from "../model/log-lines";
import { foldPlumbing } from "../model/plumbing";
import { recoveredSpans } from "../model/recovered";
import { cursorProblem } from "../model/replay-cursor";
import { rootCauseSpan } from "../model/root-cause";
import { buildSpanTree } from "../model/span-tree";
import { buildTimeline } from "../model/timeline";

export function RunPage() {
  const { runId = "" } = useParams();
  const live = useLiveMode();
  const detail = useQuery({
    queryKey: ["run", runId, "outline"],
    queryFn: () => fetchRunOutline(runId),
    refetchInterval: (q) => (q.state.data?.run.status === "running" ? pollInterval(live, 2000) : false),
    retry: (count, error) => !isNotFound(error) && count < 2,
  });
  const run = detail.data?.run;
  useDocumentTitle(run ? `${run.name ?? "(unnamed run)"} · ${run.status}` : `Run ${runId}`);
  if (detail.isPending) return <Loading what="run" />;
  // With data already shown, a failed refetch keeps it under the connection banner.
  if (detail.isError && !detail.data) {
    return (
      <section className="page">
        <p>
          <Link to="/">← All runs</Link>
        </p>
        <ErrorState what={`run ${runId}`} error={detail.error} />
      </section>
    );
  }
  return <Replay detail={detail.data} loadedAt={detail.dataUpdatedAt} />;
}

function Replay({ detail, loadedAt }: { detail: RunOutline; loadedAt: number }) {
  const showAll = useShowPlumbing();
  const full = useMemo(() => buildSpanTree(detail.spans), [detail.spans]);
  const view = useMemo(() => foldPlumbing(full, showAll.shown), [full, showAll.shown]);
  const tree = view.tree;
  const events = useMemo(() => indexRunEvents(detail), [detail]);
  const logsBySpan = useMemo(() => logLinesBySpan(detail.logs), [detail.logs]);
  const recovered = useMemo(() => recoveredSpans(full, detail.run.status), [full, detail.run.status]);
  const failureIndex = useMemo(() => {
    const cause = rootCauseSpan(full, detail.failures, recovered);
    return cause === null ? null : (tree.byId.get(cause)?.index ?? null);
  }, [full, tree, detail.failures, recovered]);
  const cursor = useReplayCursor(tree, showAll.shown ? "all" : "folded");
  // What the link asked for, as navigated to (the cursor rewrites the live URL as it moves).
  const linked = useLocation().search;
  const problem = useMemo(() => cursorProblem(new URLSearchParams(linked), tree), [linked, tree]);
  const node = tree.nodes[cursor.index];
  const before = tree.nodes[cursor.index - 1]?.span;
  const after = tree.nodes[cursor.index + 1]?.span;
  usePrefetchSpans(
    detail.run.run_id,
    useMemo(() => [after, before], [after, before]),
  );
  const nowMs = detail.run.status === "running" ? loadedAt : tree.endMs;
  const timeline = useMemo(() => buildTimeline(tree, nowMs), [tree, nowMs]);
  const totals = useMemo(() => cumulativeTotals(tree, timeline), [tree, timeline]);

  return (
    <section className="page replay" data-ready="true">
      <ReplayHeader run={detail.run} timeline={timeline} />
      {problem ? (
        <p className="state state-error" role="alert" data-testid="cursor-problem">
          {problem}
        </p>
      ) : null}
      <CompareAttemptsLink run={detail.run} />
      {node ? (
        <>
          <Player
            cursor={cursor}
            failureIndex={failureIndex}
            label={`${node.span.kind} · ${node.span.name}`}
            plumbing={{ count: view.plumbing, ...showAll }}
          />
          <div className="replay-body">
            <Waterfall
              tree={tree}
              timeline={timeline}
              cursor={cursor.index}
              onSelect={cursor.go}
              nowMs={nowMs}
              recovered={recovered}
              folded={view.folded}
            />
            <Inspector
              node={node}
              runStartMs={tree.startMs}
              totals={totals[cursor.index]!}
              decisions={events.decisionsBySpan.get(node.span.span_id) ?? []}
              failure={events.failuresBySpan.get(node.span.span_id) ?? null}
              run={detail.run}
              recovered={recovered.has(node.span.span_id)}
              folded={view.folded.get(node.span.span_id) ?? NONE}
              logs={frameLogLines(logsBySpan, node.span.span_id, view.folded.get(node.span.span_id) ?? NONE)}
            />
          </div>
        </>
      ) : (
        <Empty>This run has no spans yet.</Empty>
      )}
    </section>
  );
}

const NONE: readonly never[] = [];

/** Whether plumbing is shown as frames of its own: `?all=1`, so a link keeps the choice. */
function useShowPlumbing(): { shown: boolean; toggle: () => void } {
  const location = useLocation();
  const navigate = useNavigate();
  const shown = new URLSearchParams(location.search).get("all") === "1";
  const toggle = useCallback(() => {
    // The cursor keeps its place in the live URL (history.replaceState), so start from that.
    const next = new URLSearchParams(window.location.search);
    if (shown) next.delete("all");
    else next.set("all", "1");
    navigate({ search: `?${next}` }, { replace: true });
  }, [navigate, shown]);
  return { shown, toggle };
}
