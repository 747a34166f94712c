import * as z from "zod/mini";

// zod's tree-shakable build: the run list's schemas cost a few KB of the main bundle instead of
// all of zod. The collector's Content-Security-Policy forbids eval; zod would probe for it (new
// Function) and the browser reports each probe as a violation. Its interpreter is fast enough.
// The mini build carries no messages, so a failed check says what it expected here.
z.config({
  jitless: true,
  localeError: (issue) =>
    issue.code === "invalid_type"
      ? `expected ${issue.expected}`
      : issue.code === "invalid_value"
        ? `expected one of ${issue.values.map(String).join(", ")}`
        : issue.code.replaceAll("_", " "),
});

/**
 * The query API's shapes (docs/decisions/0002-query-api.md), checked at the edge so a view
 * never renders a shape it does not expect. Numbers the store may leave empty are nullish.
 */
/** `schema`, or null where the answer leaves it out or empty. */
const orNull = <T>(schema: z.ZodMiniType<T>) =>
  z.pipe(
    z.nullish(schema),
    z.transform((v: T | null | undefined) => v ?? null),
  );
/** `schema`, or `fallback` where the answer leaves it out or empty. */
const orElse = <T>(schema: z.ZodMiniType<T>, fallback: T) =>
  z.pipe(
    z.nullish(schema),
    z.transform((v: T | null | undefined) => v ?? fallback),
  );
const num = orNull(z.number());
const str = orNull(z.string());

export const runStatusSchema = z.enum(["running", "ok", "error", "interrupted"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const runRowSchema = z.object({
  run_id: z.string(),
  name: str,
  status: runStatusSchema,
  started_at: str,
  ended_at: str,
  duration_ms: num,
  current_step: num,
  current_step_name: str,
  steps: orElse(z.number(), 0),
  attempts: orElse(z.number(), 1),
  input_tokens: num,
  output_tokens: num,
  cost_usd: num,
  error: str,
  request_id: str,
  service: str,
  /** When the collector last heard from the run (heartbeat or span); newer collectors send it. */
  last_seen_at: str,
  updated_at: str,
});
export type RunRow = z.infer<typeof runRowSchema>;

/** A span's columns but the three that make a run's detail large (input, output, attributes). */
const spanColumns = {
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: str,
  run_id: str,
  attempt: orElse(z.number(), 1),
  kind: z.string(),
  name: z.string(),
  status: z.string(),
  started_at: z.string(),
  ended_at: str,
  duration_ms: num,
  step_index: num,
  model: str,
  provider: str,
  input_tokens: num,
  output_tokens: num,
  cost_usd: num,
  error: str,
  /** On run spans, the attempt's resource attributes as JSON text; older collectors leave it out. */
  resource: str,
};

/** A span in a run's outline (GET /api/runs/:runId?spans=outline); `fetchSpan` has the rest. */
export const spanOutlineSchema = z.object({
  ...spanColumns,
  /** A resumed run's step that returned its checkpoint instead of running again. */
  replayed: orElse(z.boolean(), false),
});
export type SpanOutline = z.infer<typeof spanOutlineSchema>;

/** A resumed run's step that returned its checkpoint: a text test, so no attributes are parsed for it. */
export const isReplayedStep = (attributes: string): boolean =>
  /"flightrec\.step\.replayed":\s*true/.test(attributes);

/** A whole span; `replayed` is read from its attributes, as the outline has it. */
export const spanRowSchema = z.pipe(
  z.object({ ...spanColumns, input: str, output: str, attributes: orElse(z.string(), "{}") }),
  z.transform((span) => ({ ...span, replayed: isReplayedStep(span.attributes) })),
);
export type SpanRow = z.infer<typeof spanRowSchema>;

export const decisionRowSchema = z.object({
  run_id: str,
  attempt: orElse(z.number(), 1),
  step: num,
  action: z.string(),
  reasoning: str,
  input_tokens: num,
  output_tokens: num,
  cost_usd: num,
  /** Extra fields given to decide(), as JSON text; older collectors leave it out. */
  details: str,
  ts: z.string(),
  span_id: str,
});
export type DecisionRow = z.infer<typeof decisionRowSchema>;

export const failureRowSchema = z.object({
  run_id: str,
  attempt: orElse(z.number(), 1),
  span_id: z.string(),
  step: num,
  kind: z.string(),
  name: z.string(),
  error_type: str,
  message: z.string(),
  stack: str,
  input: str,
  context: str,
  ts: z.string(),
  run_name: str,
});
export type FailureRow = z.infer<typeof failureRowSchema>;

export const runListSchema = z.object({ runs: z.array(runRowSchema), nextCursor: str });
export type RunList = z.infer<typeof runListSchema>;

/** A log line a span wrote (OTLP log record); older collectors send none. */
export const logRowSchema = z.object({
  log_id: z.string(),
  span_id: str,
  ts: z.string(),
  severity_number: num,
  severity_text: str,
  body: str,
  attributes: orElse(z.string(), "{}"),
});
export type LogRow = z.infer<typeof logRowSchema>;

const runEvents = {
  decisions: z._default(z.array(decisionRowSchema), []),
  failures: z._default(z.array(failureRowSchema), []),
  logs: z._default(z.array(logRowSchema), []),
};

export const runDetailSchema = z.object({ run: runRowSchema, spans: z.array(spanRowSchema), ...runEvents });
export type RunDetail = z.infer<typeof runDetailSchema>;

/** A run with its spans as outlines, for the replay: a fraction of the detail's size on long runs. */
export const runOutlineSchema = z.object({
  run: runRowSchema,
  spans: z.array(spanOutlineSchema),
  ...runEvents,
});
export type RunOutline = z.infer<typeof runOutlineSchema>;

export const spanAnswerSchema = z.object({ span: spanRowSchema });

const countRow = { count: z.number(), last_ts: str };
export const failureListSchema = z.object({
  /** `fingerprint`: the failure's group in byFingerprint; older collectors leave it out. */
  failures: z.array(z.extend(failureRowSchema, { fingerprint: str })),
  nextCursor: str,
  groups: z.object({
    /** Newer collectors: failures counted once at their innermost span, grouped by fingerprint. */
    byFingerprint: orElse(
      z.array(
        z.object({
          fingerprint: z.string(),
          error_type: str,
          pattern: z.string(),
          kind: z.string(),
          name: z.string(),
          count: z.number(),
          runs: z.number(),
          first_ts: z.string(),
          last_ts: z.string(),
          latest: z.object({ run_id: str, span_id: z.string(), message: z.string() }),
        }),
      ),
      [],
    ),
    byErrorType: z.array(z.object({ error_type: str, ...countRow })),
    byName: z.array(z.object({ kind: z.string(), name: z.string(), ...countRow })),
  }),
});
export type FailureList = z.infer<typeof failureListSchema>;

export const statsSchema = z.object({
  series: z.array(
    z.object({
      bucket: z.string(),
      runs: z.number(),
      errors: z.number(),
      input_tokens: num,
      output_tokens: num,
      cost_usd: num,
    }),
  ),
  byModel: z.array(
    z.object({
      model: str,
      calls: z.number(),
      input_tokens: num,
      output_tokens: num,
      cost_usd: num,
      p50_ms: num,
      p95_ms: num,
    }),
  ),
  byTool: z.array(z.object({ tool: str, calls: z.number(), errors: num, p50_ms: num, p95_ms: num })),
});
export type Stats = z.infer<typeof statsSchema>;

export const schemaSchema = z.object({
  tables: z.array(
    z.object({ name: z.string(), columns: z.array(z.object({ name: z.string(), type: z.string() })) }),
  ),
});
export type DbSchema = z.infer<typeof schemaSchema>;

export const sqlResultSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  truncated: z._default(z.boolean(), false),
  elapsedMs: z.nullish(z.number()),
});
export type SqlResult = z.infer<typeof sqlResultSchema>;
