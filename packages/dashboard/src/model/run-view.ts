import type { RunRow } from "../api/schemas";

/** The runs page's filters and order; they live in the URL so a view can be linked. */
export interface RunView {
  status: string[];
  name: string;
  model: string;
  from: string;
  to: string;
  minCost: string;
  q: string;
  sort: RunSort;
  order: "asc" | "desc";
}

export type RunSort = "started_at" | "duration_ms" | "cost_usd" | "name";
const SORTS: readonly RunSort[] = ["started_at", "duration_ms", "cost_usd", "name"];

export function runViewFromSearch(search: URLSearchParams): RunView {
  const sort = search.get("sort") as RunSort | null;
  return {
    status: (search.get("status") ?? "").split(",").filter(Boolean),
    name: search.get("name") ?? "",
    model: search.get("model") ?? "",
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
    minCost: search.get("minCost") ?? "",
    q: search.get("q") ?? "",
    sort: sort && SORTS.includes(sort) ? sort : "started_at",
    order: search.get("order") === "asc" ? "asc" : "desc",
  };
}

/** The API's query parameters for a view (docs/decisions/0002-query-api.md). */
export function runQueryParams(view: RunView): Record<string, string> {
  const params: Record<string, string> = {};
  if (view.status.length) params.status = view.status.join(",");
  for (const key of ["name", "model", "from", "to", "minCost", "q"] as const) {
    if (view[key].trim()) params[key] = key === "from" || key === "to" ? toIso(view[key]) : view[key].trim();
  }
  if (view.sort !== "started_at") params.sort = view.sort;
  if (view.order !== "desc") params.order = view.order;
  return params;
}

/** A datetime-local value ("2026-01-01T14:30") is local time; the API wants ISO UTC. */
function toIso(value: string): string {
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/**
 * Re-applies the view to rows the server returned. The server filters and sorts; doing it
 * again here is cheap and keeps rows that arrive by live update in the right place.
 */
export function applyRunView(runs: readonly RunRow[], view: RunView): RunRow[] {
  const q = view.q.trim().toLowerCase();
  const name = view.name.trim();
  const minCost = view.minCost.trim() === "" ? null : Number(view.minCost);
  const from = view.from ? Date.parse(view.from) : null;
  const to = view.to ? Date.parse(view.to) : null;
  const kept = runs.filter((run) => {
    if (view.status.length && !view.status.includes(run.status)) return false;
    // As the server filters: the name exactly, and a run with no cost never passes a minimum.
    if (name && run.name !== name) return false;
    if (minCost !== null && !Number.isNaN(minCost) && (run.cost_usd === null || run.cost_usd < minCost)) {
      return false;
    }
    const started = run.started_at ? Date.parse(run.started_at) : null;
    if (from !== null && !Number.isNaN(from) && (started === null || started < from)) return false;
    if (to !== null && !Number.isNaN(to) && (started === null || started > to)) return false;
    if (q && ![run.run_id, run.request_id, run.name, run.error].some((f) => f?.toLowerCase().includes(q))) {
      return false;
    }
    return true;
  });
  return kept.sort(compareBy(view.sort, view.order));
}

function compareBy(sort: RunSort, order: "asc" | "desc") {
  const sign = order === "asc" ? 1 : -1;
  return (a: RunRow, b: RunRow): number => {
    const x = a[sort];
    const y = b[sort];
    if (x === y) return a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0;
    if (x === null) return 1; // empty values last, whatever the order
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  };
}

/** Merges a run that changed (live update) into a list, keeping one row per run ID. */
export function upsertRun(runs: readonly RunRow[], run: RunRow): RunRow[] {
  const i = runs.findIndex((r) => r.run_id === run.run_id);
  if (i === -1) return [run, ...runs];
  const next = runs.slice();
  next[i] = run;
  return next;
}

/** Pages of the runs list as the cache holds them. */
export interface RunPages {
  pages: { runs: RunRow[]; nextCursor: string | null }[];
  pageParams: unknown[];
}

/**
 * Applies a run that changed (live event) to cached pages: replaced where it is, otherwise
 * added to the first page; applyRunView then decides whether the current filters show it.
 */
export function applyRunEvent<T extends RunPages>(data: T | undefined, run: RunRow): T | undefined {
  if (!data?.pages.length) return data;
  const present = data.pages.some((p) => p.runs.some((r) => r.run_id === run.run_id));
  const pages = data.pages.map((page, i) => {
    if (present) return { ...page, runs: page.runs.map((r) => (r.run_id === run.run_id ? run : r)) };
    return i === 0 ? { ...page, runs: upsertRun(page.runs, run) } : page;
  });
  return { ...data, pages };
}
