import type { CheckpointStep, RunCheckpoints } from "../conventions.js";
import { durabilityConfig } from "./config.js";
import { ResumeError } from "./errors.js";

/** A finished step as the collector recorded it (see docs/decisions/0002-query-api.md). */
export type RecordedStep = CheckpointStep;
export type { RunCheckpoints };

const FETCH_TIMEOUT_MS = 5_000;

/** The run's checkpoints; null when the collector has never seen the run. Throws ResumeError. */
export async function fetchCheckpoints(runId: string): Promise<RunCheckpoints | null> {
  const url = `${durabilityConfig().endpoint}/api/runs/${encodeURIComponent(runId)}/checkpoints`;
  let response: Response;
  try {
    response = await fetch(url, { headers: headers(), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new ResumeError(runId, `the collector at ${url} did not answer (${(error as Error).message})`);
  }
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new ResumeError(runId, `GET ${url} answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as RunCheckpoints;
}

/**
 * The p95 duration (ms) of each step of runs with this name, from the collector. Empty when
 * the collector cannot say: a deadline then only stops a run that has no time left at all.
 */
export async function fetchStepDurations(runName: string): Promise<Record<string, number>> {
  const url = `${durabilityConfig().endpoint}/api/step-durations?run=${encodeURIComponent(runName)}`;
  try {
    const response = await fetch(url, { headers: headers(), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) return {};
    const body = (await response.json()) as { steps: { name: string; p95_ms: number }[] };
    return Object.fromEntries(body.steps.map((s) => [s.name, s.p95_ms]));
  } catch {
    return {};
  }
}

function headers(): Record<string, string> {
  const token = durabilityConfig().token;
  return token ? { authorization: `Bearer ${token}` } : {};
}
