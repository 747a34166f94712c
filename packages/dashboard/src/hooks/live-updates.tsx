import { type InfiniteData, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState } from "react";
import { eventsUrl } from "../api/client";
import { type RunList, runRowSchema } from "../api/schemas";
import { applyRunEvent } from "../model/run-view";

/** "live": server-sent events are flowing; "polling": they are not, so queries refetch on a timer. */
export type LiveMode = "connecting" | "live" | "polling";

const LiveContext = createContext<LiveMode>("polling");

export const useLiveMode = () => useContext(LiveContext);

/** Refetch interval for queries that must stay fresh, by live mode. */
export function pollInterval(mode: LiveMode, ms: number): number | false {
  return mode === "live" ? false : ms;
}

/**
 * Subscribes to GET /api/events and applies each changed run to the cache: the runs list gets
 * the row at once, an open replay refetches. Without the stream (older collector, proxy that
 * buffers) the mode falls back to polling.
 */
export function LiveUpdatesProvider({ children }: { children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<LiveMode>(typeof EventSource === "undefined" ? "polling" : "connecting");

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(eventsUrl());
    source.onopen = () => setMode("live");
    source.onerror = () => setMode("polling");
    source.addEventListener("run", (event) => {
      const parsed = runRowSchema.safeParse(safeJson((event as MessageEvent<string>).data));
      if (!parsed.success) return;
      const run = parsed.data;
      queryClient.setQueriesData<InfiniteData<RunList>>({ queryKey: ["runs"] }, (data) =>
        applyRunEvent(data, run),
      );
      void queryClient.invalidateQueries({ queryKey: ["run", run.run_id] });
    });
    return () => source.close();
  }, [queryClient]);

  return <LiveContext.Provider value={mode}>{children}</LiveContext.Provider>;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
