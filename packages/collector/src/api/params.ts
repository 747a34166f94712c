import { z } from "zod";
import { HttpError } from "../errors.js";

const isoTime = z.iso.datetime({
  offset: true,
  message: "expected an ISO-8601 time, e.g. 2026-01-31T12:00:00Z",
});
const statuses = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(["running", "ok", "error", "interrupted"])));

export const runListParams = z.object({
  status: statuses.optional(),
  name: z.string().optional(),
  model: z.string().optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  // Coercion reads "" as 0, which would quietly drop runs with no cost; an empty value is an error.
  minCost: z
    .string()
    .trim()
    .min(1, "expected a number")
    .transform(Number)
    .pipe(z.number().nonnegative())
    .optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(["started_at", "duration_ms", "cost_usd", "name"]).default("started_at"),
  order: z.enum(["asc", "desc"]).default("desc"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

export const runDetailParams = z.object({
  /** "outline": each span without input, output and attributes; GET /api/runs/:runId/spans/:spanId has them. */
  spans: z.enum(["full", "outline"]).default("full"),
});

export const failureListParams = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
  errorType: z.string().optional(),
  name: z.string().optional(),
});

export const logListParams = z
  .object({
    runId: z.string().min(1).optional(),
    traceId: z.string().min(1).optional(),
    spanId: z.string().min(1).optional(),
    requestId: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    cursor: z.string().optional(),
  })
  .refine((q) => q.runId ?? q.traceId ?? q.spanId ?? q.requestId, {
    message: "give runId, traceId, spanId or requestId",
    path: ["runId"],
  });

export const statsParams = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: z.enum(["hour", "day"]).default("hour"),
});

export const sqlBody = z.object({
  sql: z.string().min(1, "give the SQL to run").max(100_000),
});

/** Parses with `schema`; a bad parameter is a 400 that names it. */
export function parseParams<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what = "query parameter",
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : String(issue.path[0] ?? "body");
  throw new HttpError(400, `invalid ${what} "${name}": ${issue.message}`);
}
