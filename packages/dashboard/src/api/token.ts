const KEY = "flightrec.token";

/**
 * A collector started with --token needs it on every /api request. The dashboard takes
 * `?token=` from its own URL once, keeps it for the tab, and removes it from the address bar.
 */
export function captureTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token");
  if (!token) return;
  sessionStorage.setItem(KEY, token);
  url.searchParams.delete("token");
  window.history.replaceState(window.history.state, "", url);
}

export function apiToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}
