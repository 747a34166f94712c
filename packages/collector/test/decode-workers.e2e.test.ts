import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { otlpJson } from "./otlp-builder.js";
import { LOGS, TRACE_ID } from "./otlp-signals.js";

// Decoding runs on worker threads only in the built package (the worker file is JavaScript).
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

describe.skipIf(!existsSync(dist))("the built collector decodes on worker threads", () => {
  it("stores good bodies and answers 400 for bad ones, in each encoding", async () => {
    const { startServer } = (await import(dist)) as typeof import("../src/index.js");
    const dir = mkdtempSync(join(tmpdir(), "flightrec-dist-"));
    const server = await startServer({
      db: join(dir, "s.db"),
      port: 0,
      logger: createLogger("silent"),
      decodeThreads: 2,
    });
    try {
      const post = (body: string | Uint8Array, type: string) =>
        fetch(`${server.url}/v1/traces`, {
          method: "POST",
          headers: { "content-type": type },
          body: body as RequestInit["body"],
        });
      const bad = await post("{bad", "application/json");
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/invalid JSON/);
      const badProto = await post(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), "application/x-protobuf");
      expect(badProto.status).toBe(400);
      const bodies = Array.from({ length: 6 }, (_, i) =>
        otlpJson([
          {
            name: "run",
            startMs: Date.now(),
            attributes: { "flightrec.run.id": `w-${i}`, "flightrec.span.kind": "run" },
          },
        ]),
      );
      expect(
        (await Promise.all(bodies.map((b) => post(b, "application/json")))).map((r) => r.status),
      ).toEqual(bodies.map(() => 200));
      const list = (await (await fetch(`${server.url}/api/runs`)).json()) as { runs: { run_id: string }[] };
      expect(list.runs.map((r) => r.run_id).sort()).toEqual(bodies.map((_, i) => `w-${i}`));
      // Log bodies go to the same workers.
      const postLogs = (body: string | Uint8Array, type: string) =>
        fetch(`${server.url}/v1/logs`, {
          method: "POST",
          headers: { "content-type": type },
          body: body as RequestInit["body"],
        });
      expect((await postLogs("{bad", "application/json")).status).toBe(400);
      expect((await postLogs(LOGS.protobuf("5555555555555555"), "application/x-protobuf")).status).toBe(200);
      const logs = (await (await fetch(`${server.url}/api/logs?traceId=${TRACE_ID}`)).json()) as {
        logs: { body: string }[];
      };
      expect(logs.logs.map((l) => l.body)).toEqual(['"line 5555555555555555"']);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decodes a body as large as the limit allows, though decoded it takes several times its size", async () => {
    const { startServer } = (await import(dist)) as typeof import("../src/index.js");
    const dir = mkdtempSync(join(tmpdir(), "flightrec-dist-"));
    const maxBodyBytes = 10 * 1024 * 1024;
    const server = await startServer({
      db: join(dir, "s.db"),
      port: 0,
      logger: createLogger("silent"),
      decodeThreads: 1,
      maxBodyBytes,
    });
    try {
      // One failed run span whose input fills the body. A single non-Latin-1 character makes
      // every copy of it (parsed, in attributes, input, failure context) two bytes a character.
      const input = `${"a".repeat(maxBodyBytes - 2048)}€`;
      const body = otlpJson([
        {
          name: "run",
          startMs: Date.now(),
          error: "failed",
          attributes: {
            "flightrec.run.id": "big",
            "flightrec.span.kind": "run",
            "flightrec.run.input": input,
          },
        },
      ]);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBodyBytes);
      const response = await fetch(`${server.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(response.status).toBe(200);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers 503 to a body that reaches the decoder after it closed, instead of leaving it waiting", async () => {
    const poolModule = fileURLToPath(new URL("../dist/ingest/decode-pool.js", import.meta.url));
    const { DecodePool } = (await import(poolModule)) as typeof import("../src/ingest/decode-pool.js");
    const pool = new DecodePool({ threads: 1 });
    await pool.close();
    await expect(pool.decode(Buffer.from("{}"), "json", "traces")).rejects.toMatchObject({ status: 503 });
  });
});
