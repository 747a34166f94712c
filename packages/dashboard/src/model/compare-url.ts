/** What a compare page shows: two runs, or two attempts (of one run or of two). */
export interface CompareTarget {
  a: { runId: string; attempt: number | null };
  b: { runId: string; attempt: number | null };
}

/** The compare page's address for a target: shareable, it is all the page needs. */
export function compareHref(target: CompareTarget): string {
  const search = new URLSearchParams({ a: target.a.runId, b: target.b.runId });
  if (target.a.attempt !== null) search.set("attemptA", String(target.a.attempt));
  if (target.b.attempt !== null) search.set("attemptB", String(target.b.attempt));
  return `/compare?${search}`;
}

/** Reads a target from the page's query; every bad or missing value is named, none replaced. */
export function compareTargetFromSearch(
  search: URLSearchParams,
): { target: CompareTarget; problems: [] } | { target: null; problems: string[] } {
  const problems: string[] = [];
  const runId = (key: "a" | "b") => {
    const value = search.get(key);
    if (!value) problems.push(`"${key}" names no run: give two run IDs, ?a=<run ID>&b=<run ID>`);
    return value ?? "";
  };
  const attempt = (key: "attemptA" | "attemptB") => {
    const value = search.get(key);
    if (value === null || value === "") return null;
    if (/^[1-9]\d{0,5}$/.test(value)) return Number(value);
    problems.push(`"${key}" must be an attempt number (1, 2, …), got "${value}"`);
    return null;
  };
  const target = {
    a: { runId: runId("a"), attempt: attempt("attemptA") },
    b: { runId: runId("b"), attempt: attempt("attemptB") },
  };
  return problems.length ? { target: null, problems } : { target, problems: [] };
}
