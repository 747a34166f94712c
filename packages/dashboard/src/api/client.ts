import type * as z from "zod/mini";
import { type Answer, answerOf } from "./answer";
import { ApiError } from "./api-error";
import { reportAnswer, reportUnreachable } from "./connection";
import { takeArrived, takePrefetched } from "./prefetch";
import {
  type DbSchema,
  type FailureList,
  failureListSchema,
  type RunDetail,
  type RunList,
  type RunOutline,
  runDetailSchema,
  runListSchema,
  runOutlineSchema,
  type SpanRow,
  type SqlResult,
  type Stats,
  schemaSchema,
  spanAnswerSchema,
  sqlResultSchema,
  statsSchema,
} from "./schemas";
import { apiToken } from "./token";
import { type ApiParams, apiHeaders, apiUrl, runDetailUrl, runsPageUrl } from "./url";

type Params = ApiParams;

export { apiUrl };

async function request<S extends z.ZodMiniType>(
  schema: S,
  url: string,
  init: RequestInit = {},
): Promise<z.output<S>> {
  let answer: Answer;
  try {
    const prefetched = (init.method ?? "GET") === "GET" ? takePrefetched(url) : undefined;
    answer = await (prefetched ?? fetch(url, { ...init, headers: apiHeaders(init.headers) }).then(answerOf));
  } catch (error) {
    if (init.signal?.aborted) throw error;
    reportUnreachable(String(error));
    throw new ApiError(`cannot reach the collector (${String(error)})`);
  }
  reportAnswer();
  if (!answer.ok) {
    const message = (answer.body as { error?: unknown } | null)?.error;
    throw new ApiError(
      typeof message === "string" ? message : `${answer.status} ${answer.statusText} from ${url}`,
      answer.status,
    );
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(`unexpected answer from ${url}: ${issue?.path.join(".")} ${issue?.message}`);
  }
  return parsed.data;
}

export interface RunQuery {
  status?: string;
  name?: string;
  model?: string;
  from?: string;
  to?: string;
  minCost?: string;
  q?: string;
  sort?: string;
  order?: string;
}

export const fetchRuns = (query: RunQuery, cursor: string | null, limit = 100): Promise<RunList> =>
  request(runListSchema, runsPageUrl({ ...query }, cursor, limit));

/**
 * The run list's first page if the boot script's request for it has already been answered (and
 * the answer is a run list), so the runs page can show rows in its first render; else undefined
 * and `fetchRuns` takes the answer when it comes, or reports what went wrong.
 */
export function arrivedRuns(query: RunQuery): RunList | undefined {
  return takeArrived(runsPageUrl({ ...query }, null), (answer) => {
    const parsed = answer.ok ? runListSchema.safeParse(answer.body) : null;
    if (!parsed?.success) return undefined;
    reportAnswer();
    return parsed.data;
  });
}

/** A run with its spans whole (input, output, attributes), for compare. */
export const fetchRun = (runId: string): Promise<RunDetail> =>
  request(runDetailSchema, runDetailUrl(runId, "whole"));

/** A run with its spans as outlines, for the replay; `fetchSpan` gives the span at the cursor whole. */
export const fetchRunOutline = (runId: string): Promise<RunOutline> =>
  request(runOutlineSchema, runDetailUrl(runId, "outline"));

export const fetchSpan = async (runId: string, spanId: string): Promise<SpanRow> =>
  (
    await request(
      spanAnswerSchema,
      `/api/runs/${encodeURIComponent(runId)}/spans/${encodeURIComponent(spanId)}`,
    )
  ).span;

export const fetchFailures = (params: Params): Promise<FailureList> =>
  request(failureListSchema, apiUrl("/api/failures", params));

export const fetchStats = (params: Params): Promise<Stats> =>
  request(statsSchema, apiUrl("/api/stats", params));

export const fetchSchema = (): Promise<DbSchema> => request(schemaSchema, "/api/schema");

export const runSql = (sql: string): Promise<SqlResult> =>
  request(sqlResultSchema, "/api/sql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sql }),
  });

/** URL of the live event stream; EventSource cannot send headers, so the token rides along. */
export function eventsUrl(): string {
  return apiUrl("/api/events", { token: apiToken() });
}
