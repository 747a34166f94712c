import { apiToken } from "./token";

type Params = Record<string, string | number | null | undefined>;

export type { Params as ApiParams };

export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** Headers of every API request: JSON, and the collector's token when the tab has one. */
export function apiHeaders(init?: HeadersInit): Headers {
  const headers = new Headers(init);
  headers.set("accept", "application/json");
  const token = apiToken();
  if (token) headers.set("authorization", `Bearer ${token}`);
  return headers;
}

/** The run list's first page for a view; the boot script and the runs page must agree on it. */
export const runsPageUrl = (query: Params, cursor: string | null, limit = 100): string =>
  apiUrl("/api/runs", { ...query, cursor, limit });

/** A run's detail: whole (compare), or its spans as outlines (the replay); boot.ts asks for it early. */
export const runDetailUrl = (runId: string, spans: "whole" | "outline"): string =>
  apiUrl(`/api/runs/${encodeURIComponent(runId)}`, { spans: spans === "outline" ? "outline" : null });
