import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/**
 * Lowers the scheduling priority (raises the nice value) of the calling thread alone, so that
 * background work — reports, user SQL — yields the cores to the thread that accepts spans when
 * both want them. Linux names a thread by /proc/thread-self; elsewhere, or where the system
 * refuses, the thread keeps its priority and nothing else changes.
 */
export function lowerThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    // Only ever lower: a collector started under `nice` keeps its threads at least that nice.
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(nice, getPriority(tid)));
  } catch {
    // Not Linux, or not allowed: run at normal priority.
  }
}
