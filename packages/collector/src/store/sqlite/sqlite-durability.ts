import type { DurabilityStore } from "../durability.js";
import type { RunChangeFeed } from "../run-changes.js";
import type { DurabilityQueries } from "./durability-queries.js";

/**
 * The SQLite store's DurabilityStore: its queries on the writer connection, answered as the
 * interface's promises; the interruption is written the way every write is (`writing`: a store
 * file deleted or replaced, or a transient failure, is a StoreUnavailableError); the run's live
 * clients hear of the verdict once it is committed.
 */
export function sqliteDurability(
  queries: DurabilityQueries,
  writing: <T>(write: () => T) => T,
  changes: RunChangeFeed,
): DurabilityStore {
  return {
    checkpoints: async (runId) => queries.checkpoints(runId),
    stepDurationsOf: async (runName) => queries.stepDurationsOf(runName),
    openAttemptsSince: async (sinceIso) => queries.openAttemptsSince(sinceIso),
    inFlightStep: async (runId, attempt) => queries.inFlightStep(runId, attempt),
    resumedRunsSince: async (sinceIso) => queries.resumedRunsSince(sinceIso),
    openAttemptsBefore: async (runId, newest) => queries.openAttemptsBefore(runId, newest),
    rootOf: async (runId, attempt) => queries.rootOf(runId, attempt),
    // One process writes the file: it always gives the verdicts.
    leadsSweep: async () => true,
    interrupt: async (interruption) => {
      writing(() => queries.interrupt(interruption));
      changes.emit([interruption.runId]);
    },
  };
}
