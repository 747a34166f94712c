import { beforeEach, describe, expect, it } from "vitest";
import { spanRecord } from "../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../test/store-harness.js";
import { createApp } from "../app.js";

let app: ReturnType<typeof createApp>;

const json = (text: string) => ({ type: "json", data: text, encoding: "utf8" as const });

function post(path: string, body: unknown) {
  return app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function putCheckpoint(threadId: string, checkpointId: string, parent: string | null, extra: object = {}) {
  return post("/api/graph/checkpoints", {
    threadId,
    checkpointId,
    parentCheckpointId: parent,
    checkpoint: json(`{"id":"${checkpointId}"}`),
    metadata: { source: "loop", step: Number(checkpointId.slice(-1)), parents: {} },
    ...extra,
  });
}

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(STORE_KINDS)("LangGraph checkpoints (%s store)", (kind) => {
  const current = useStore(kind);
  beforeEach(() => {
    app = createApp({ store: current().store, maxBodyBytes: 64 * 1024 });
  });

  describe("graph checkpoint routes", () => {
    it("answers a put after it is committed and returns the newest checkpoint with its writes in LangGraph's order", async () => {
      expect((await putCheckpoint("t1", "cp-1", null)).status).toBe(200);
      expect((await putCheckpoint("t1", "cp-2", "cp-1")).status).toBe(200);
      const writes = (taskId: string, taskPath: string, values: string[], idx = 0) =>
        post("/api/graph/writes", {
          threadId: "t1",
          checkpointId: "cp-2",
          taskId,
          taskPath,
          writes: values.map((v, i) => ({ idx: idx + i, channel: "out", value: json(`"${v}"`) })),
        });
      expect((await writes("task-b", "~pull|b", ["b0", "b1"])).status).toBe(200);
      expect((await writes("task-a", "~pull|a", ["a0"])).status).toBe(200);
      // A retried task's regular write does not replace the first; a special write (negative index) does.
      await writes("task-a", "~pull|a", ["a0-again"]);
      await writes("task-c", "", ["error-1"], -1);
      await writes("task-c", "", ["error-2"], -1);

      const latest = await get("/api/graph/checkpoint?threadId=t1");
      expect(latest.status).toBe(200);
      expect(latest.body).toMatchObject({
        threadId: "t1",
        checkpointNs: "",
        checkpointId: "cp-2",
        parentCheckpointId: "cp-1",
        checkpoint: json('{"id":"cp-2"}'),
        metadata: { source: "loop", step: 2, parents: {} },
      });
      expect(
        (latest.body.pendingWrites as { taskId: string; value: { data: string } }[]).map((w) => [
          w.taskId,
          w.value.data,
        ]),
      ).toEqual([
        ["task-c", '"error-2"'],
        ["task-a", '"a0"'],
        ["task-b", '"b0"'],
        ["task-b", '"b1"'],
      ]);
      const first = await get("/api/graph/checkpoint?threadId=t1&checkpointId=cp-1");
      expect(first.body).toMatchObject({ checkpointId: "cp-1", parentCheckpointId: null, pendingWrites: [] });
    });

    it("keeps bytes that are not text as they were sent", async () => {
      const bytes = Buffer.from([0, 255, 1, 128]).toString("base64");
      await post("/api/graph/checkpoints", {
        threadId: "binary",
        checkpointId: "cp-1",
        checkpoint: { type: "bytes", data: bytes, encoding: "base64" },
        metadata: {},
      });
      expect((await get("/api/graph/checkpoint?threadId=binary")).body.checkpoint).toEqual({
        type: "bytes",
        data: bytes,
        encoding: "base64",
      });
    });

    it("never hands back a redacted checkpoint or write: the graph continues from before it", async () => {
      await putCheckpoint("secret", "cp-1", null);
      await putCheckpoint("secret", "cp-2", "cp-1", { redacted: true });
      await post("/api/graph/writes", {
        threadId: "secret",
        checkpointId: "cp-1",
        taskId: "task-1",
        writes: [
          { idx: 0, channel: "key", value: json('"[REDACTED]"'), redacted: true },
          { idx: 1, channel: "note", value: json('"kept"') },
        ],
      });
      const latest = await get("/api/graph/checkpoint?threadId=secret");
      expect(latest.body).toMatchObject({ checkpointId: "cp-1" });
      expect(latest.body.pendingWrites).toEqual([
        { taskId: "task-1", channel: "note", value: json('"kept"') },
      ]);
      expect((await get("/api/graph/checkpoint?threadId=secret&checkpointId=cp-2")).status).toBe(404);
      const list = await get("/api/graph/checkpoints?threadId=secret");
      expect((list.body.checkpoints as { checkpointId: string }[]).map((c) => c.checkpointId)).toEqual([
        "cp-1",
      ]);
    });

    it("lists newest first, by namespace, before an ID, by metadata and page by page", async () => {
      for (const id of ["cp-1", "cp-2", "cp-3"]) await putCheckpoint("list", id, null);
      await putCheckpoint("list", "cp-9", null, {
        checkpointNs: "inner",
        metadata: { source: "input", step: -1 },
      });
      const ids = async (query: string) =>
        ((await get(`/api/graph/checkpoints?${query}`)).body.checkpoints as { checkpointId: string }[]).map(
          (c) => c.checkpointId,
        );
      expect(await ids("threadId=list")).toEqual(["cp-3", "cp-2", "cp-1", "cp-9"]);
      expect(await ids("threadId=list&checkpointNs=")).toEqual(["cp-3", "cp-2", "cp-1"]);
      expect(await ids("threadId=list&before=cp-3")).toEqual(["cp-2", "cp-1"]);
      expect(await ids(`threadId=list&filter=${encodeURIComponent('{"step":2}')}`)).toEqual(["cp-2"]);
      expect(await ids(`threadId=list&filter=${encodeURIComponent('{"source":"input"}')}`)).toEqual(["cp-9"]);
      const first = await get("/api/graph/checkpoints?threadId=list&limit=2");
      expect((first.body.checkpoints as unknown[]).length).toBe(2);
      const rest = await ids(`threadId=list&limit=2&cursor=${first.body.nextCursor}`);
      expect(rest).toEqual(["cp-1", "cp-9"]);
    });

    it("deletes a thread's checkpoints and writes", async () => {
      await putCheckpoint("gone", "cp-1", null);
      const res = await app.request("/api/graph/threads/gone", { method: "DELETE" });
      expect(await res.json()).toEqual({ deleted: 1 });
      expect((await get("/api/graph/checkpoint?threadId=gone")).body).toEqual({
        error: 'no checkpoint of thread "gone"',
      });
    });

    it("refuses bad bodies naming what is wrong", async () => {
      const missing = await post("/api/graph/checkpoints", {
        threadId: "t",
        checkpoint: json("{}"),
        metadata: {},
      });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { error: string }).error).toMatch(
        /invalid body field "checkpointId"/,
      );
      expect((await post("/api/graph/writes", "{nope")).status).toBe(400);
      const text = await app.request("/api/graph/checkpoints", { method: "POST", body: "x" });
      expect(text.status).toBe(415);
      const huge = await putCheckpoint("big", "cp-1", null, { checkpoint: json("x".repeat(100 * 1024)) });
      expect(huge.status).toBe(413);
      const filter = await get("/api/graph/checkpoints?filter=%5B1%5D");
      expect(filter.body.error).toMatch(/invalid query parameter "filter": expected a JSON object/);
    });

    it("needs the token when the collector has one", async () => {
      await putCheckpoint("t1", "cp-1", null);
      const guarded = createApp({ store: current().store, token: "s3cret" });
      expect((await guarded.request("/api/graph/checkpoint?threadId=t1")).status).toBe(401);
      const ok = await guarded.request("/api/graph/checkpoint?threadId=t1", {
        headers: { authorization: "Bearer s3cret" },
      });
      expect(ok.status).toBe(200);
    });
  });

  describe("retention of graph checkpoints", () => {
    it("deletes a thread with its run, and a thread of no run once its newest checkpoint is old", async () => {
      await current().store.ingest([
        spanRecord({ spanId: "b7ad6b7169203331", runId: "old-run", kind: "run", name: "g" }),
      ]);
      await putCheckpoint("old-run", "cp-1", null);
      await putCheckpoint("no-run", "cp-1", null);
      const future = new Date(Date.now() + 60_000).toISOString();
      await current().store.deleteRunsBefore(future, 100);
      expect((await get("/api/graph/checkpoint?threadId=old-run")).status).toBe(404);
      expect((await get("/api/graph/checkpoint?threadId=no-run")).status).toBe(200);
      await current().store.deleteSpansWithoutRunBefore(future, 100);
      expect((await get("/api/graph/checkpoint?threadId=no-run")).status).toBe(404);
    });
  });
});
