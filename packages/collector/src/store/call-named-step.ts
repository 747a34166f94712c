import type { SpanRecord } from "../domain.js";
import { keyBaseOf } from "./span-key.js";

/** A step to name by its model call, as its trace's key base and its IDs find it. */
export interface StepToName {
  base: bigint;
  traceId: string;
  spanId: string;
}

/**
 * The steps a batch may have to name by their model call (normalize/call-named-step.ts): each
 * step so marked it wrote, and the parent of each model call it wrote that decided something
 * (if that parent is such a step, which the store checks). Spans of a trace share its key base.
 */
export class StepsToName {
  private readonly steps = new Map<string, StepToName>();

  /** `span` was stored at `key`. */
  add(span: SpanRecord, key: bigint): void {
    const spanId =
      span.kind === "step" && span.namedByCall
        ? span.spanId
        : span.kind === "llm" && span.decidedStep
          ? span.parentSpanId
          : null;
    if (spanId === null) return;
    const step = { base: keyBaseOf(key), traceId: span.traceId, spanId };
    this.steps.set(`${step.base}/${step.traceId}/${step.spanId}`, step);
  }

  values(): IterableIterator<StepToName> {
    return this.steps.values();
  }
}
