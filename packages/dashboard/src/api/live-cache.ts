import type { InfiniteData, Query, QueryClient } from "@tanstack/react-query";
import { applyRunEvent } from "../model/run-view";
import type { RunList, RunRow } from "./schemas";

/** Run lists filtered by model need the run's spans, which an event does not carry: they refetch. */
const filtersByModel = (q: Query) => Boolean((q.queryKey[1] as { model?: string } | undefined)?.model);

/** A changed run from the live stream: run lists get the row at once, an open replay refetches. */
export function applyLiveRun(queryClient: QueryClient, run: RunRow): void {
  void queryClient.invalidateQueries({ queryKey: ["runs"], predicate: filtersByModel });
  queryClient.setQueriesData<InfiniteData<RunList>>(
    { queryKey: ["runs"], predicate: (q) => !filtersByModel(q) },
    (data) => applyRunEvent(data, run),
  );
  void queryClient.invalidateQueries({ queryKey: ["run", run.run_id] });
}

/**
 * The stream (re)connected. The collector sends changes only to clients connected when they
 * happen, and drops a client that falls behind; whatever changed while this one was away (or
 * before it first connected) is refetched, so the view never keeps a state it missed.
 */
export function catchUpAfterConnect(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ["runs"] });
  void queryClient.invalidateQueries({ queryKey: ["run"] });
}
