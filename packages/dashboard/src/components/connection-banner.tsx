import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { reportAnswer } from "../api/connection";
import { formatAge } from "../format";
import { useConnection, useNow } from "../hooks/use-connection";

const PROBE_MS = 2000;

/**
 * While the collector does not answer: a banner over whatever the page last showed, saying it is
 * stale and how old it is. It probes /health meanwhile and, once the collector answers again,
 * refetches every query in view, so the page recovers without a reload.
 */
export function ConnectionBanner() {
  const { reachable, lastAnswerAt } = useConnection();
  const queryClient = useQueryClient();
  const now = useNow(1000, !reachable);

  useEffect(() => {
    if (reachable) return;
    const probe = setInterval(() => {
      fetch("/health", { cache: "no-store" }).then(
        (res) => {
          void res.body?.cancel();
          reportAnswer();
          void queryClient.invalidateQueries();
        },
        () => {},
      );
    }, PROBE_MS);
    return () => clearInterval(probe);
  }, [reachable, queryClient]);

  if (reachable) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner">
      <strong>Cannot reach the collector.</strong>{" "}
      {lastAnswerAt === null
        ? "Nothing loaded yet."
        : `Showing data from ${formatAge(now - lastAnswerAt)} ago; it may be out of date.`}{" "}
      <span className="muted">Retrying…</span>
    </div>
  );
}
