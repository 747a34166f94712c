import type { SpanRecord } from "../domain.js";

/** A step span with the index the store gave it, on its failure and decisions too. */
export function numberedStep(span: SpanRecord, index: number): SpanRecord {
  return {
    ...span,
    stepIndex: index,
    failure: span.failure && { ...span.failure, step: span.failure.step ?? index },
    decisions: span.decisions.map((d) => ({ ...d, step: d.step ?? index })),
  };
}
