/**
 * The page's entry: small on purpose. It asks for the data the opened page needs first (the
 * run list, or the replay's code) and only then loads the app, so the request and the app's
 * code travel together instead of one after the other.
 */
import { prefetch } from "./api/prefetch";
import { captureTokenFromUrl } from "./api/token";
import { apiHeaders, runsPageUrl } from "./api/url";
import { runQueryParams, runViewFromSearch } from "./model/run-view";
import { applyTheme, storedTheme } from "./theme";

applyTheme(storedTheme());
captureTokenFromUrl();
const { pathname, search } = window.location;
if (pathname === "/") {
  prefetch(runsPageUrl(runQueryParams(runViewFromSearch(new URLSearchParams(search))), null), apiHeaders());
} else if (pathname.startsWith("/runs/")) {
  void import("./pages/run-page").catch(() => {});
}
void import("./main");
