import { useInfiniteQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { arrivedRuns, fetchRuns } from "../api/client";
import { CompareBar, pickForCompare } from "../components/compare/compare-bar";
import { RunFilters } from "../components/run-filters";
import { RunTable } from "../components/run-table";
import { Empty, ErrorState, Loading } from "../components/states";
import { pollInterval, useLiveMode } from "../hooks/live-updates";
import { useConnection } from "../hooks/use-connection";
import { useDocumentTitle } from "../hooks/use-document-title";
import {
  applyRunView,
  type RunSort,
  type RunView,
  runQueryParams,
  runViewFromSearch,
} from "../model/run-view";

export function RunsPage() {
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => runViewFromSearch(search), [search]);
  const params = useMemo(() => runQueryParams(view), [view]);
  const live = useLiveMode();
  useDocumentTitle("Runs");
  const { reachable } = useConnection();
  const runs = useInfiniteQuery({
    queryKey: ["runs", params],
    queryFn: ({ pageParam }) => fetchRuns(params, pageParam),
    initialPageParam: null as string | null,
    // Rows in the first render when the boot script's answer is already here (see boot.ts).
    initialData: () => {
      const first = arrivedRuns(params);
      return first && { pages: [first], pageParams: [null] };
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollInterval(live, 3000),
  });

  const update = useCallback(
    (patch: Partial<RunView>) => setSearch(searchFor({ ...view, ...patch }), { replace: true }),
    [setSearch, view],
  );
  const onSort = useCallback(
    (sort: RunSort) => update({ sort, order: view.sort === sort && view.order === "desc" ? "asc" : "desc" }),
    [update, view],
  );
  const rows = useMemo(() => {
    const all = runs.data?.pages.flatMap((p) => p.runs) ?? [];
    const unique = [...new Map(all.map((r) => [r.run_id, r])).values()];
    return applyRunView(unique, view);
  }, [runs.data, view]);
  const { fetchNextPage } = runs;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const [picked, setPicked] = useState<string[]>([]);
  const onPick = useCallback((runId: string) => setPicked((now) => pickForCompare(now, runId)), []);
  const pickedSet = useMemo(() => new Set(picked), [picked]);
  const filtered = Object.keys(params).some((k) => k !== "sort" && k !== "order");

  return (
    <section className="page runs-page">
      <div className="page-head">
        <h2>Runs</h2>
        <span className={`live live-${live}`} title="How this page stays current">
          {live === "live" ? "● live" : live === "polling" ? "↻ polling" : "connecting…"}
        </span>
        {/* A count next to "cannot reach the collector" would claim what it cannot know. */}
        {runs.data && !runs.isError && reachable ? (
          <span className="muted">{rows.length.toLocaleString()} shown</span>
        ) : null}
        <CompareBar picked={picked} onClear={() => setPicked([])} />
      </div>
      <RunFilters view={view} onChange={update} />
      {runs.isPending ? (
        <Loading what="runs" />
      ) : runs.isError && !runs.data ? (
        <ErrorState what="runs" error={runs.error} />
      ) : rows.length === 0 ? (
        <Empty>
          {filtered ? (
            <>
              No runs match these filters.{" "}
              <button type="button" onClick={() => setSearch(new URLSearchParams())}>
                Clear filters
              </button>
            </>
          ) : (
            "No runs yet. Point an agent at this collector (FLIGHTREC_ENDPOINT) to see them here."
          )}
        </Empty>
      ) : (
        <RunTable
          runs={rows}
          view={view}
          onSort={onSort}
          hasMore={runs.hasNextPage}
          loadingMore={runs.isFetchingNextPage}
          onLoadMore={loadMore}
          picked={pickedSet}
          onPick={onPick}
        />
      )}
    </section>
  );
}

function searchFor(view: RunView): URLSearchParams {
  const next = new URLSearchParams();
  if (view.status.length) next.set("status", view.status.join(","));
  for (const key of ["q", "name", "model", "from", "to", "minCost"] as const) {
    if (view[key]) next.set(key, view[key]);
  }
  if (view.sort !== "started_at") next.set("sort", view.sort);
  if (view.order !== "desc") next.set("order", view.order);
  return next;
}
