/**
 * Requests started before the app's code has loaded (see boot.ts), by URL. The first request
 * for the same URL takes the answer instead of asking again; later ones fetch as usual, so a
 * prefetched answer is used once and never goes stale in here. The body is read as soon as it
 * arrives, so an answer that came before the app can be rendered in the app's first pass.
 */
import { type Answer, answerOf } from "./answer";

interface Prefetched {
  answer: Promise<Answer>;
  /** Set once the answer has arrived and its body was read. */
  arrived: Answer | null;
}

const started = new Map<string, Prefetched>();

export function prefetch(url: string, headers: Headers): void {
  const entry: Prefetched = { answer: fetch(url, { headers }).then(answerOf), arrived: null };
  entry.answer.then(
    (answer) => {
      entry.arrived = answer;
    },
    // A failure is reported by whoever takes it; until then it must not count as unhandled.
    () => {},
  );
  started.set(url, entry);
}

export function takePrefetched(url: string): Promise<Answer> | undefined {
  const entry = started.get(url);
  started.delete(url);
  return entry?.answer;
}

/** The answer for `url` if it has already arrived, taken only when `use` accepts it. */
export function takeArrived<T>(url: string, use: (answer: Answer) => T | undefined): T | undefined {
  const arrived = started.get(url)?.arrived;
  const used = arrived ? use(arrived) : undefined;
  if (used !== undefined) started.delete(url);
  return used;
}
