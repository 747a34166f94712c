import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchSpan } from "../api/client";
import type { SpanOutline } from "../api/schemas";

/**
 * The replay holds its spans as outlines; the span at the cursor is fetched whole (input,
 * output, attributes) when shown. Under the run's key, so what refreshes the run refreshes it,
 * and with the span's end in the key, so a span that finishes is fetched again.
 */
const wholeSpanQuery = (runId: string, span: SpanOutline) => ({
  queryKey: ["run", runId, "span", span.span_id, span.status, span.ended_at],
  queryFn: () => fetchSpan(runId, span.span_id),
  // A finished span does not change; one still running is fetched again as it goes.
  staleTime: span.ended_at === null ? 1000 : Number.POSITIVE_INFINITY,
});

export function useWholeSpan(runId: string, span: SpanOutline) {
  return useQuery(wholeSpanQuery(runId, span));
}

/** Fetches the spans next to the cursor ahead, so stepping through a run shows each at once. */
export function usePrefetchSpans(runId: string, spans: readonly (SpanOutline | undefined)[]): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    for (const span of spans) if (span) prefetch(queryClient, runId, span);
  }, [queryClient, runId, spans]);
}

function prefetch(queryClient: QueryClient, runId: string, span: SpanOutline): void {
  void queryClient.prefetchQuery(wholeSpanQuery(runId, span));
}
