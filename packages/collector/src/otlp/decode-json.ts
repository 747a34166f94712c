import { z } from "zod";
import { MalformedRequestError } from "../errors.js";
import type { OtlpExportTraceRequest } from "./types.js";

// OTLP/JSON: int64 arrives as a decimal string or a number; unknown fields are ignored.
const int64 = z.union([
  z.string().regex(/^\d+$/, "expected an unsigned integer"),
  z.number().int().nonnegative(),
]);
const hexId = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `expected ${bytes * 2} hex characters`);
const optionalHexId = (bytes: number) => z.union([hexId(bytes), z.literal("")]).optional();

const anyValue: z.ZodType<unknown> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.or(z.string()).optional(),
    doubleValue: z.number().or(z.string()).optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(keyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValue = z.object({ key: z.string(), value: anyValue.optional() });
const attributes = z.array(keyValue).optional();

const span = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  parentSpanId: optionalHexId(8),
  name: z.string(),
  kind: z.number().int().optional(),
  startTimeUnixNano: int64,
  endTimeUnixNano: int64.optional(),
  attributes,
  events: z
    .array(z.object({ timeUnixNano: int64.optional(), name: z.string().optional(), attributes }))
    .optional(),
  links: z
    .array(z.object({ traceId: z.string().optional(), spanId: z.string().optional(), attributes }))
    .optional(),
  status: z.object({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
});

const exportRequest = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes }).optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
              spans: z.array(span).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/** Parses an OTLP/JSON ExportTraceServiceRequest; throws MalformedRequestError naming the problem. */
export function decodeJsonTraceRequest(body: string): OtlpExportTraceRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new MalformedRequestError(`invalid JSON: ${(error as Error).message}`);
  }
  const result = exportRequest.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "body";
    throw new MalformedRequestError(`not an OTLP trace export request: ${where}: ${issue?.message}`);
  }
  return result.data as OtlpExportTraceRequest;
}
