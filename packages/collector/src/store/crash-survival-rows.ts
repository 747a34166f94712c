import type { CheckpointStep, StepDuration } from "./durability.js";

/** A finished, executed step as the stores select it: newest copy of each index, in index order. */
export type ExecutedStepRow = Omit<CheckpointStep, "output" | "redacted"> & {
  output: string;
  redacted: boolean | 0 | 1;
};

/** Checkpoints for resume: executed steps in order, up to where the record no longer follows one line. */
export function checkpointSteps(rows: readonly ExecutedStepRow[]): CheckpointStep[] {
  const steps: CheckpointStep[] = [];
  for (const row of rows) {
    // A step re-executed by a newer attempt makes older attempts' later steps stale.
    const previous = steps.at(-1);
    if (row.index !== steps.length + 1 || (previous && row.attempt < previous.attempt)) break;
    steps.push({
      ...row,
      output: JSON.parse(row.output),
      redacted: row.redacted === true || row.redacted === 1,
    });
  }
  return steps;
}

/** The p95 of each step name's durations (nearest rank). */
export function stepDurations(rows: readonly { name: string; duration_ms: number }[]): StepDuration[] {
  const byName = new Map<string, number[]>();
  for (const row of rows) {
    const list = byName.get(row.name) ?? [];
    list.push(row.duration_ms);
    byName.set(row.name, list);
  }
  return [...byName].map(([name, durations]) => ({
    name,
    count: durations.length,
    p95_ms: percentile(durations, 0.95),
  }));
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
