/**
 * Whether the collector answers, as the API client last saw it. Any HTTP answer counts as
 * reachable (a 401 or 500 is the collector speaking); only a request that never got an answer
 * marks it unreachable. `lastAnswerAt` is when data last arrived, so stale views can say how old.
 */
export interface Connection {
  reachable: boolean;
  lastAnswerAt: number | null;
  /** Why the last request failed, while unreachable. */
  reason: string | null;
}

let state: Connection = { reachable: true, lastAnswerAt: null, reason: null };
const listeners = new Set<() => void>();

function set(next: Connection): void {
  state = next;
  for (const listener of listeners) listener();
}

export function reportAnswer(at = Date.now()): void {
  if (state.reachable && state.lastAnswerAt !== null && at - state.lastAnswerAt < 1000) return;
  set({ reachable: true, lastAnswerAt: at, reason: null });
}

export function reportUnreachable(reason: string): void {
  if (!state.reachable && state.reason === reason) return;
  set({ ...state, reachable: false, reason });
}

export function connection(): Connection {
  return state;
}

export function subscribeConnection(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
