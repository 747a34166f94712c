import type { RunDetail, RunSummary } from "./types";

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

export const fetchRuns = () => getJson<{ runs: RunSummary[] }>("/api/runs").then((b) => b.runs);
export const fetchRun = (runId: string) => getJson<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
