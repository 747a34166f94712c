/**
 * Requests started before the app's code has loaded (see boot.ts), by URL. The first request
 * for the same URL takes the answer instead of asking again; later ones fetch as usual, so a
 * prefetched answer is used once and never goes stale in here.
 */
const started = new Map<string, Promise<Response>>();

export function prefetch(url: string, headers: Headers): void {
  const answer = fetch(url, { headers });
  // A failure is reported by whoever takes it; until then it must not count as unhandled.
  answer.catch(() => {});
  started.set(url, answer);
}

export function takePrefetched(url: string): Promise<Response> | undefined {
  const answer = started.get(url);
  started.delete(url);
  return answer;
}
