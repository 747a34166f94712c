import type Database from "better-sqlite3";
import { keyBaseOf, MAX_KEY_PROBES, spanKey } from "../span-key.js";

interface UnplacedFailure {
  span_key: bigint;
  trace_id: string;
  parent_span_id: string | null;
}

interface Ancestor {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  kind: string;
  step_index: number | null;
}

/** Deeper than any real span tree; it bounds the walk should parent links ever form a loop. */
const MAX_DEPTH = 256;

/**
 * Places failures of spans that carry no step number of their own (a framework's tool call inside
 * one of its loop steps: Mastra, Traceloop, …) in the nearest step that encloses them, so that a
 * run "failed at step N" whatever wrote it. Spans arrive in any order, so this runs again for a
 * run whenever a batch brings it a failure or a step; with `renumbered`, failures placed before
 * are placed again (the store moved steps up).
 */
export class FailureSteps {
  private readonly unplaced: Database.Statement;
  private readonly placedBefore: Database.Statement;
  private readonly spanAt: Database.Statement;
  private readonly setStep: Database.Statement;

  constructor(db: Database.Database) {
    const select = `SELECT f.span_key, s.trace_id, s.parent_span_id FROM failures f JOIN spans s ON s.span_key = f.span_key
       WHERE f.run_id = ? AND s.step_index IS NULL AND s.kind <> 'run' AND s.parent_span_id IS NOT NULL`;
    this.unplaced = db.prepare(`${select} AND f.step IS NULL`).safeIntegers();
    this.placedBefore = db.prepare(select).safeIntegers();
    this.spanAt = db.prepare(
      "SELECT trace_id, span_id, parent_span_id, kind, step_index FROM spans WHERE span_key = ?",
    );
    this.setStep = db.prepare("UPDATE failures SET step = ? WHERE span_key = ?");
  }

  place(runId: string, renumbered: boolean): void {
    const failures = (renumbered ? this.placedBefore : this.unplaced).all(runId) as UnplacedFailure[];
    for (const failure of failures) {
      const step = this.enclosingStep(failure);
      if (step !== null || renumbered) this.setStep.run(step, failure.span_key);
    }
  }

  /** The index of the nearest step above the failed span, or null when none is stored (yet). */
  private enclosingStep(failure: UnplacedFailure): number | null {
    // Every span of a trace has its trace's key base in the high bits of its key (span-key.ts).
    const base = keyBaseOf(failure.span_key);
    let parentId = failure.parent_span_id;
    for (let depth = 0; parentId !== null && depth < MAX_DEPTH; depth++) {
      const parent = this.find(base, failure.trace_id, parentId);
      if (!parent) return null;
      if (parent.kind === "step" && parent.step_index !== null) return parent.step_index;
      parentId = parent.parent_span_id;
    }
    return null;
  }

  /** A stored span by trace and span ID: the keys its ID probes, as the writer placed it. */
  private find(base: bigint, traceId: string, spanId: string): Ancestor | undefined {
    for (let probe = 0; probe < MAX_KEY_PROBES; probe++) {
      const row = this.spanAt.get(spanKey(base, spanId, probe)) as Ancestor | undefined;
      if (!row) return undefined;
      if (row.trace_id === traceId && row.span_id === spanId) return row;
    }
    return undefined;
  }
}
