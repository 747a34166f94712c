import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { isNotFound } from "../api/api-error";
import { fetchRun } from "../api/client";
import type { RunDetail } from "../api/schemas";
import { Inspector } from "../components/replay/inspector";
import { Player } from "../components/replay/player";
import { ReplayHeader } from "../components/replay/replay-header";
import { Waterfall } from "../components/replay/waterfall";
import { Empty, ErrorState, Loading } from "../components/states";
import { pollInterval, useLiveMode } from "../hooks/live-updates";
import { useReplayCursor } from "../hooks/use-replay-cursor";
import { cumulativeTotals } from "../model/cumulative";
import { indexRunEvents } from "../model/frame";
import { rootCauseIndex } from "../model/root-cause";
import { buildSpanTree } from "../model/span-tree";

export function RunPage() {
  const { runId = "" } = useParams();
  const live = useLiveMode();
  const detail = useQuery({
    queryKey: ["run", runId],
    queryFn: () => fetchRun(runId),
    refetchInterval: (q) => (q.state.data?.run.status === "running" ? pollInterval(live, 2000) : false),
    retry: (count, error) => !isNotFound(error) && count < 2,
  });
  if (detail.isPending) return <Loading what="run" />;
  if (detail.isError) {
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

function Replay({ detail, loadedAt }: { detail: RunDetail; loadedAt: number }) {
  const tree = useMemo(() => buildSpanTree(detail.spans), [detail.spans]);
  const totals = useMemo(() => cumulativeTotals(tree), [tree]);
  const events = useMemo(() => indexRunEvents(detail), [detail]);
  const failureIndex = useMemo(() => rootCauseIndex(tree, detail.failures), [detail.failures, tree]);
  const cursor = useReplayCursor(tree);
  const node = tree.nodes[cursor.index];
  const nowMs = detail.run.status === "running" ? loadedAt : tree.endMs;

  return (
    <section className="page replay" data-ready="true">
      <ReplayHeader run={detail.run} elapsedMs={Math.max(nowMs - tree.startMs, 0)} />
      {node ? (
        <>
          <Player
            cursor={cursor}
            failureIndex={failureIndex}
            label={`${node.span.kind} · ${node.span.name}`}
          />
          <div className="replay-body">
            <Waterfall tree={tree} cursor={cursor.index} onSelect={cursor.go} nowMs={nowMs} />
            <Inspector
              node={node}
              runStartMs={tree.startMs}
              totals={totals[cursor.index]!}
              decisions={events.decisionsBySpan.get(node.span.span_id) ?? []}
              failure={events.failuresBySpan.get(node.span.span_id) ?? null}
              run={detail.run}
            />
          </div>
        </>
      ) : (
        <Empty>This run has no spans yet.</Empty>
      )}
    </section>
  );
}
