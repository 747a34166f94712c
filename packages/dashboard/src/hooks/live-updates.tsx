import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState } from "react";
import { eventsUrl } from "../api/client";
import { applyLiveRun, catchUpAfterConnect } from "../api/live-cache";
import { runRowSchema } from "../api/schemas";

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
 * the row at once, an open replay refetches; each (re)connection refetches what it may have
 * missed. Without the stream (older collector, proxy that buffers) the mode falls back to polling.
 */
export function LiveUpdatesProvider({ children }: { children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<LiveMode>(typeof EventSource === "undefined" ? "polling" : "connecting");

  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource(eventsUrl());
    source.onopen = () => {
      setMode("live");
      catchUpAfterConnect(queryClient);
    };
    source.onerror = () => setMode("polling");
    source.addEventListener("run", (event) => {
      const parsed = runRowSchema.safeParse(safeJson((event as MessageEvent<string>).data));
      if (parsed.success) applyLiveRun(queryClient, parsed.data);
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
