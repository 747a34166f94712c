import { beforeEach, describe, expect, it } from "vitest";
import { spanRecord } from "../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../test/store-harness.js";
import { createApp } from "../app.js";

let app: ReturnType<typeof createApp>;

describe.each(STORE_KINDS)("checkpoints (%s store)", (kind) => {
  const current = useStore(kind);
  beforeEach(() => {
    app = createApp({ store: current().store });
  });

  describe("checkpoint routes", () => {
    it("answers 404 naming an unknown run", async () => {
      const res = await app.request("/api/runs/nope/checkpoints");
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'no run with ID "nope"' });
    });

    it("returns a run's finished steps", async () => {
      await current().store.ingest([
        spanRecord({
          spanId: "b7ad6b7169203331",
          runId: "task-9",
          kind: "step",
          name: "fetch",
          endNs: 3_000_000n,
          stepIndex: 1,
          output: '{"rows":2}',
        }),
      ]);
      const res = await app.request("/api/runs/task-9/checkpoints");
      expect(await res.json()).toEqual({
        runId: "task-9",
        attempt: 1,
        traceId: null,
        spanId: null,
        steps: [
          {
            index: 1,
            name: "fetch",
            spanId: "b7ad6b7169203331",
            attempt: 1,
            output: { rows: 2 },
            redacted: false,
          },
        ],
      });
    });

    it("requires the run name for step durations", async () => {
      const res = await app.request("/api/step-durations");
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/missing query parameter "run"/);
    });
  });
});
