import { formatCost, formatDuration, formatTokens } from "../format";
import { alignByKey } from "./compare-align";
import { type CompareSide, canonicalJson, type StepFacts } from "./compare-side";
import { spanStatus } from "./span-status";

/** One thing that differs, as each side has it. */
export interface FieldDiff {
  field: string;
  a: string;
  b: string;
  /**
   * Whether it makes the step diverge: what ran and what came of it. Measures (tokens, cost,
   * duration) differ between any two runs of a model; they are shown, never the divergence.
   */
  substantive: boolean;
}

export interface StepRow {
  /** "3 · geocode": the step's index (each side's, when they differ) and name. */
  label: string;
  name: string;
  a: StepFacts | null;
  b: StepFacts | null;
  differences: FieldDiff[];
  diverges: boolean;
}

export interface EnvironmentRow {
  key: string;
  a: string | null;
  b: string | null;
  differs: boolean;
}

export interface RunComparison {
  a: CompareSide;
  b: CompareSide;
  /** The runs (or attempts) as wholes: status, input, output, error, usage. */
  run: FieldDiff[];
  environment: EnvironmentRow[];
  steps: StepRow[];
  /** Index in `steps` of the first step that diverges; null when every step agrees. */
  firstDivergence: number | null;
}

/** Aligns two sides step by step (by step name, in order) and says where and how they differ. */
export function compareRuns(a: CompareSide, b: CompareSide): RunComparison {
  const steps = alignByKey(
    a.steps.map((s) => s.name),
    b.steps.map((s) => s.name),
  ).map(({ a: i, b: j }) => stepRow(i === null ? null : a.steps[i]!, j === null ? null : b.steps[j]!));
  const first = steps.findIndex((row) => row.diverges);
  return {
    a,
    b,
    run: runDifferences(a, b),
    environment: environmentRows(a.environment, b.environment),
    steps,
    firstDivergence: first === -1 ? null : first,
  };
}

function stepRow(a: StepFacts | null, b: StepFacts | null): StepRow {
  const differences = a && b ? stepDifferences(a, b) : [presence(a, b)];
  return {
    label: stepLabel(a, b),
    name: (a ?? b)!.name,
    a,
    b,
    differences,
    diverges: differences.some((d) => d.substantive),
  };
}

function stepLabel(a: StepFacts | null, b: StepFacts | null): string {
  const ia = a?.index ?? null;
  const ib = b?.index ?? null;
  const index = ia === ib || ia === null || ib === null ? String(ia ?? ib ?? "–") : `${ia} / ${ib}`;
  return `${index} · ${(a ?? b)!.name}`;
}

function presence(a: StepFacts | null, b: StepFacts | null): FieldDiff {
  const said = (s: StepFacts | null) => (s ? `ran (${s.status})` : "did not run");
  return { field: "step", a: said(a), b: said(b), substantive: true };
}

/** A replayed step returned its checkpoint without running: only what it returned can differ. */
function stepDifferences(a: StepFacts, b: StepFacts): FieldDiff[] {
  const settled = (s: StepFacts) => (s.status === "replayed" ? "ok" : s.status);
  const out: FieldDiff[] = [];
  if (a.status !== b.status) {
    out.push({ field: "status", a: a.status, b: b.status, substantive: settled(a) !== settled(b) });
  }
  pushJson(out, "output", a.output, b.output);
  pushText(out, "error", a.error, b.error);
  if (a.status === "replayed" || b.status === "replayed") return out;
  pushJson(out, "input", a.input, b.input);
  pushList(out, "decisions", a.decisions, b.decisions);
  pushList(out, "model", a.models, b.models);
  pushList(out, "response model", a.responseModels, b.responseModels);
  pushJsonList(out, "LLM input", a.llmInputs, b.llmInputs);
  pushList(out, "tool calls", a.toolCalls, b.toolCalls);
  // A step its attempt's death ended has no duration of its own: only when the verdict came.
  const ended = (s: StepFacts) => s.status === "ok" || s.status === "error";
  pushMeasures(out, a, b, ended(a) && ended(b));
  return out;
}

type Measures = Pick<StepFacts, "inputTokens" | "outputTokens" | "costUsd" | "durationMs">;

function pushMeasures(out: FieldDiff[], a: Measures, b: Measures, timed = true): void {
  if (a.inputTokens !== b.inputTokens || a.outputTokens !== b.outputTokens) {
    const tokens = (s: Measures) => formatTokens(s.inputTokens, s.outputTokens);
    out.push({ field: "tokens", a: tokens(a), b: tokens(b), substantive: false });
  }
  if (Math.abs((a.costUsd ?? 0) - (b.costUsd ?? 0)) > 1e-9 || (a.costUsd === null) !== (b.costUsd === null)) {
    out.push({ field: "cost", a: formatCost(a.costUsd), b: formatCost(b.costUsd), substantive: false });
  }
  if (timed && durationsDiffer(a.durationMs, b.durationMs)) {
    out.push({
      field: "duration",
      a: formatDuration(a.durationMs),
      b: formatDuration(b.durationMs),
      substantive: false,
    });
  }
}

/** Timings jitter: a duration differs when one is half again the other and 50 ms or more apart. */
export function durationsDiffer(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a !== b;
  const [low, high] = a < b ? [a, b] : [b, a];
  return high - low >= 50 && high >= low * 1.5;
}

function pushText(out: FieldDiff[], field: string, a: string | null, b: string | null): void {
  if (a !== b) out.push({ field, a: a ?? "—", b: b ?? "—", substantive: true });
}

/**
 * JSON texts compared as JSON (key order aside), and shown pretty-printed. Most are equal as
 * text, so the parsing is left to the few that are not.
 */
function pushJson(out: FieldDiff[], field: string, a: string | null, b: string | null): void {
  if (a === b) return;
  pushText(out, field, canonicalJson(a), canonicalJson(b));
}

function pushJsonList(out: FieldDiff[], field: string, a: readonly string[], b: readonly string[]): void {
  if (a.length === b.length && a.every((text, i) => text === b[i])) return;
  pushList(out, field, a.map(canonicalJson) as string[], b.map(canonicalJson) as string[]);
}

function pushList(out: FieldDiff[], field: string, a: readonly string[], b: readonly string[]): void {
  const text = (list: readonly string[]) => (list.length ? list.join("\n") : "—");
  if (text(a) !== text(b)) out.push({ field, a: text(a), b: text(b), substantive: true });
}

function runDifferences(a: CompareSide, b: CompareSide): FieldDiff[] {
  const out: FieldDiff[] = [];
  const status = (s: CompareSide) => (s.root ? spanStatus(s.root) : s.run.status);
  if (status(a) !== status(b)) out.push({ field: "status", a: status(a), b: status(b), substantive: true });
  pushJson(out, "input", a.root?.input ?? null, b.root?.input ?? null);
  pushJson(out, "output", a.root?.output ?? null, b.root?.output ?? null);
  pushText(out, "error", a.root?.error ?? a.run.error, b.root?.error ?? b.run.error);
  const ended = (s: CompareSide) => ["ok", "error"].includes(status(s));
  pushMeasures(out, runMeasures(a), runMeasures(b), ended(a) && ended(b));
  return out;
}

function runMeasures(side: CompareSide): Measures {
  return { ...side.totals, durationMs: side.root?.duration_ms ?? side.run.duration_ms };
}

function environmentRows(a: Record<string, string>, b: Record<string, string>): EnvironmentRow[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((key) => {
    const va = a[key] ?? null;
    const vb = b[key] ?? null;
    return { key, a: va, b: vb, differs: va !== vb };
  });
}
