/**
 * The page's entry: small on purpose. It asks for the data the opened page needs first (the
 * run list, a replay's run, the two compared runs) and the page's code, and only then loads the
 * app, so the requests and the app's code travel together instead of one after the other.
 */
import { prefetch } from "./api/prefetch";
import { captureTokenFromUrl } from "./api/token";
import { apiHeaders, runDetailUrl, runsPageUrl } from "./api/url";
import { runQueryParams, runViewFromSearch } from "./model/run-view";
import { applyTheme, storedTheme } from "./theme";

applyTheme(storedTheme());
captureTokenFromUrl();
const { pathname, search } = window.location;
if (pathname === "/") {
  prefetch(runsPageUrl(runQueryParams(runViewFromSearch(new URLSearchParams(search))), null), apiHeaders());
} else if (pathname.startsWith("/runs/")) {
  const runId = decodedSegment(pathname.slice("/runs/".length));
  if (runId) prefetch(runDetailUrl(runId, "outline"), apiHeaders());
  void import("./pages/run-page").catch(() => {});
} else if (pathname === "/compare") {
  const query = new URLSearchParams(search);
  for (const runId of new Set([query.get("a"), query.get("b")])) {
    if (runId) prefetch(runDetailUrl(runId, "whole"), apiHeaders());
  }
  void import("./pages/compare-page").catch(() => {});
}
void import("./main");

/** A path segment as the router reads it; null for one it would not route (or cannot decode). */
function decodedSegment(segment: string): string | null {
  if (!segment || segment.includes("/")) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
