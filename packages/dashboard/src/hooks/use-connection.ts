import { useEffect, useState, useSyncExternalStore } from "react";
import { type Connection, connection, subscribeConnection } from "../api/connection";

export function useConnection(): Connection {
  return useSyncExternalStore(subscribeConnection, connection, connection);
}

/** The current time, updated every `everyMs` while `active`; for ages that must keep counting. */
export function useNow(everyMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, active]);
  return now;
}
