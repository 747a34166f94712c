import { failureFingerprint, messagePattern } from "./failure-fingerprint.js";
import type { FailureListPage } from "./store.js";

export type RecentFailure = Pick<
  FailureListPage["failures"][number],
  "run_id" | "span_id" | "kind" | "name" | "error_type" | "message" | "ts"
>;

/** Newest-first failures folded into fingerprint groups, largest first. */
export function fingerprintGroups(recent: RecentFailure[]): FailureListPage["groups"]["byFingerprint"] {
  const groups = new Map<
    string,
    FailureListPage["groups"]["byFingerprint"][number] & { runSet: Set<string> }
  >();
  for (const f of recent) {
    const key = failureFingerprint(f);
    let group = groups.get(key);
    if (!group) {
      group = {
        fingerprint: key,
        error_type: f.error_type,
        pattern: messagePattern(f.message),
        kind: f.kind,
        name: f.name,
        count: 0,
        runs: 0,
        first_ts: f.ts,
        last_ts: f.ts,
        latest: { run_id: f.run_id, span_id: f.span_id, message: f.message },
        runSet: new Set(),
      };
      groups.set(key, group);
    }
    group.count += 1;
    group.first_ts = f.ts;
    if (f.run_id !== null) group.runSet.add(f.run_id);
  }
  return [...groups.values()]
    .map(({ runSet, ...g }) => ({ ...g, runs: runSet.size }))
    .sort((a, b) => b.count - a.count || b.last_ts.localeCompare(a.last_ts))
    .slice(0, 100);
}
