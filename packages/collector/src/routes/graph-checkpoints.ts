import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { parseParams } from "../api/params.js";
import { HttpError } from "../errors.js";
import type { DecisionStore } from "../store/store.js";
import { jsonOnly } from "./sql.js";

/** Largest checkpoint or writes body; a graph's state over this is refused, naming the limit. */
export const DEFAULT_MAX_GRAPH_BODY_BYTES = 16 * 1024 * 1024;

const id = z.string().min(1).max(1024);
const ns = z.string().max(1024).default("");
const value = z.object({
  type: z.string().min(1).max(64),
  data: z.string(),
  encoding: z.enum(["utf8", "base64"]),
});

const checkpointBody = z.strictObject({
  threadId: id,
  checkpointNs: ns,
  checkpointId: id,
  parentCheckpointId: id.nullable().default(null),
  checkpoint: value,
  metadata: z.record(z.string(), z.unknown()),
  redacted: z.boolean().default(false),
});

const writesBody = z.strictObject({
  threadId: id,
  checkpointNs: ns,
  checkpointId: id,
  taskId: id,
  taskPath: z.string().max(4096).default(""),
  writes: z
    .array(
      z.strictObject({
        idx: z.number().int(),
        channel: z.string().min(1).max(1024),
        value,
        redacted: z.boolean().default(false),
      }),
    )
    .max(10_000),
});

const filterParam = z
  .string()
  .transform((text, ctx) => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: 'expected a JSON object, e.g. {"source":"loop"}' });
    return z.NEVER;
  })
  .refine((filter) => Object.keys(filter).every((key) => !/["\\]/.test(key)), {
    message: "metadata keys in a filter cannot hold quotes or backslashes",
  });

const getParams = z.strictObject({ threadId: id, checkpointNs: ns, checkpointId: id.optional() });

const listParams = z.strictObject({
  threadId: id.optional(),
  checkpointNs: z.string().max(1024).optional(),
  checkpointId: id.optional(),
  before: id.optional(),
  filter: filterParam.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});

/**
 * LangGraph checkpoints for `@flightrec/langgraph`'s saver (docs/decisions/0018). Writes answer
 * only after they are committed. A thread is the run of the same ID, so these rows share the
 * runs' token, limits and retention.
 */
export function graphCheckpointRoutes({
  store,
  maxBodyBytes = DEFAULT_MAX_GRAPH_BODY_BYTES,
}: {
  store: DecisionStore;
  maxBodyBytes?: number;
}): Hono {
  const app = new Hono();
  const body = [jsonOnly(), limit(maxBodyBytes)] as const;
  app.post("/api/graph/checkpoints", ...body, async (c) => {
    await store.putGraphCheckpoint(parseParams(checkpointBody, await jsonOf(c.req.raw), "body field"));
    return c.json({ stored: true });
  });
  app.post("/api/graph/writes", ...body, async (c) => {
    await store.putGraphWrites(parseParams(writesBody, await jsonOf(c.req.raw), "body field"));
    return c.json({ stored: true });
  });
  app.get("/api/graph/checkpoint", async (c) => {
    const query = parseParams(getParams, c.req.query());
    const tuple = await store.getGraphCheckpoint(query);
    if (!tuple) {
      const which = query.checkpointId ? `checkpoint "${query.checkpointId}"` : "checkpoint";
      throw new HttpError(404, `no ${which} of thread "${query.threadId}"`);
    }
    return c.json(tuple);
  });
  app.get("/api/graph/checkpoints", async (c) =>
    c.json(await store.listGraphCheckpoints(parseParams(listParams, c.req.query()))),
  );
  app.delete("/api/graph/threads/:threadId", async (c) =>
    c.json({ deleted: await store.deleteGraphThread(c.req.param("threadId")) }),
  );
  return app;
}

async function jsonOf(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}

function limit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new HttpError(413, `the request body is larger than the ${maxSize / 1024 / 1024} MiB limit`, {
        connection: "close",
      });
    },
  });
}
