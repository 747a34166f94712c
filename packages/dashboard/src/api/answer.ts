/** An HTTP answer with its body already read as JSON (null when it was not JSON). */
export interface Answer {
  ok: boolean;
  status: number;
  statusText: string;
  body: unknown;
}

export async function answerOf(response: Response): Promise<Answer> {
  const body: unknown = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, statusText: response.statusText, body };
}
