import type { z } from "zod";
import { ApiError } from "./api-error";
import { reportAnswer, reportUnreachable } from "./connection";
import { takePrefetched } from "./prefetch";
import {
  type DbSchema,
  type FailureList,
  failureListSchema,
  type RunDetail,
  type RunList,
  runDetailSchema,
  runListSchema,
  type SqlResult,
  type Stats,
  schemaSchema,
  sqlResultSchema,
  statsSchema,
} from "./schemas";
import { apiToken } from "./token";
import { type ApiParams, apiHeaders, apiUrl, runsPageUrl } from "./url";

type Params = ApiParams;

export { apiUrl };

async function request<S extends z.ZodType>(
  schema: S,
  url: string,
  init: RequestInit = {},
): Promise<z.output<S>> {
  let response: Response;
  try {
    const prefetched = (init.method ?? "GET") === "GET" ? takePrefetched(url) : undefined;
    response = await (prefetched ?? fetch(url, { ...init, headers: apiHeaders(init.headers) }));
  } catch (error) {
    if (init.signal?.aborted) throw error;
    reportUnreachable(String(error));
    throw new ApiError(`cannot reach the collector (${String(error)})`);
  }
  reportAnswer();
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: unknown } | null)?.error;
    throw new ApiError(
      typeof message === "string" ? message : `${response.status} ${response.statusText} from ${url}`,
      response.status,
    );
  }
  const parsed = schema.safeParse(body);
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

export const fetchRun = (runId: string): Promise<RunDetail> =>
  request(runDetailSchema, apiUrl(`/api/runs/${encodeURIComponent(runId)}`));

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
