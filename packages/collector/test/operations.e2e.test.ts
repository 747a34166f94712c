import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { startServer } from "../src/server.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { otlpJson } from "./otlp-builder.js";

const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const cli = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", CLI, ...args], { timeout: 20_000 });

describe("operations", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
    const body = otlpJson([
      {
        name: "invoke_agent ops",
        startMs: Date.now(),
        attributes: { "flightrec.span.kind": "run", "flightrec.run.id": "ops-1" },
      },
    ]);
    expect((await postTraces(collector.server.url, body)).status).toBe(200);
    expect((await postTraces(collector.server.url, "{bad")).status).toBe(400);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("reports health: store writable, disk space, queue depth", async () => {
    const response = await fetch(`${collector.server.url}/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as {
      status: string;
      store: { writable: boolean };
      disk: { freeBytes: number };
      queue: { depth: number };
    };
    expect(health).toMatchObject({ status: "ok", store: { writable: true }, queue: { depth: 0 } });
    expect(health.disk.freeBytes).toBeGreaterThan(0);
  });

  it("exposes Prometheus metrics", async () => {
    const text = await (await fetch(`${collector.server.url}/metrics`)).text();
    expect(text).toMatch(/^flightrec_spans_received_total 1$/m);
    expect(text).toMatch(/^flightrec_spans_stored_total 1$/m);
    expect(text).toMatch(/^flightrec_write_queue_spans 0$/m);
    expect(text).toMatch(/^flightrec_http_requests_total\{route="\/v1\/traces",status="400"\} 1$/m);
    expect(text).toMatch(/^flightrec_http_request_duration_seconds_count\{route="\/v1\/traces"\} 2$/m);
  });

  it("labels request metrics by route shape, whatever paths clients make up", async () => {
    for (const path of ["/api/made-up", "/api/another-made-up", "/api/runs"])
      await fetch(`${collector.server.url}${path}`);
    const text = await (await fetch(`${collector.server.url}/metrics`)).text();
    expect(text).not.toMatch(/made-up/);
    expect(text).toMatch(/^flightrec_http_requests_total\{route="\/api\/other",status="404"\} 2$/m);
    expect(text).toMatch(/^flightrec_http_requests_total\{route="\/api\/runs",status="200"\} 1$/m);
  });

  it("answers only to loopback Host names without a token, so a DNS-rebinding page reads nothing", async () => {
    const { port } = new URL(collector.server.url);
    const get = (path: string, host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    for (const path of ["/api/runs", "/api/runs/ops-1", "/"]) {
      const refused = await get(path, `rebound.example:${port}`);
      expect(refused.status, path).toBe(403);
      expect(refused.body).toContain("not a loopback name");
      expect(refused.body).not.toContain("ops-1");
    }
    expect((await get("/api/runs/ops-1", `localhost:${port}`)).status).toBe(200);
    expect((await get("/api/runs/ops-1", `127.0.0.1:${port}`)).status).toBe(200);
  });

  it("lets go of its store again when it cannot listen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-taken-"));
    const db = join(dir, "second.db");
    try {
      const taken = Number(new URL(collector.server.url).port);
      await expect(startServer({ db, port: taken, logger: createLogger("silent") })).rejects.toThrow(
        /EADDRINUSE/,
      );
      // Closing the last connection checkpoints and removes the WAL; an open one keeps it.
      expect(existsSync(`${db}-wal`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to bind beyond loopback without a token", async () => {
    await expect(startServer({ db: `${collector.dbPath}-x`, host: "0.0.0.0", port: 0 })).rejects.toThrow(
      /--token/,
    );
  });

  it("commits what it acknowledged before closing", async () => {
    const other = await startTestCollector();
    const posts = Array.from({ length: 5 }, (_, i) =>
      postTraces(
        other.server.url,
        otlpJson([
          {
            name: "s",
            startMs: Date.now(),
            attributes: { "flightrec.run.id": `r-${i}`, "flightrec.span.kind": "run" },
          },
        ]),
      ),
    );
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    await other.server.close();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(other.query("SELECT count(*) AS n FROM runs")).toEqual([{ n: 5 }]);
    await other.stop();
  });

  it("flightrec query prints rows, and stops a runaway query at its time limit", async () => {
    const { stdout } = await cli(
      "query",
      "--db",
      collector.dbPath,
      "--json",
      "SELECT run_id, status FROM runs",
    );
    expect(JSON.parse(stdout)).toEqual([{ run_id: "ops-1", status: "ok" }]);
    const runaway = cli(
      "query",
      "--db",
      collector.dbPath,
      "--timeout-ms",
      "500",
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
    );
    await expect(runaway).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/500 ms limit/) });
    await expect(cli("query", "--db", collector.dbPath, "DELETE FROM runs")).rejects.toMatchObject({
      stderr: expect.stringMatching(/only read-only/),
    });
  });

  it.each([
    ["--max-rows", "1.5"],
    ["--timeout-ms", "3000000000"],
  ])("flightrec query refuses %s %s as a usage error, not a limit it cannot keep", async (flag, value) => {
    await expect(cli("query", "--db", collector.dbPath, flag, value, "SELECT 1")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(flag),
    });
  });

  it.each([
    { args: ["--prot", "4318"], flag: "--prot" },
    { args: ["--port"], flag: "--port" },
    { args: ["--port", ""], flag: "--port" },
    { args: ["--retain-days", "1e9"], flag: "--retain-days" },
  ])("flightrec serve refuses $args as a usage error naming $flag", async ({ args, flag }) => {
    const db = `${collector.dbPath}-serve`;
    await expect(cli("serve", "--db", db, "--port", "0", ...args)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(flag),
    });
  });

  it("pushes a run the interrupt sweeper marks to live clients", async () => {
    const quick = await startTestCollector({
      interrupts: { heartbeatMisses: 1, defaultHeartbeatIntervalMs: 100, sweepIntervalMs: 100 },
    });
    const controller = new AbortController();
    try {
      const response = await fetch(`${quick.server.url}/api/events`, { signal: controller.signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      await reader.read();
      const step = otlpJson([
        {
          name: "fetch_data",
          startMs: Date.now(),
          attributes: {
            "flightrec.run.id": "dies-1",
            "flightrec.span.kind": "step",
            "flightrec.step.index": 1,
          },
        },
      ]);
      expect((await postTraces(quick.server.url, step)).status).toBe(200);
      let text = "";
      while (!/"status":"interrupted"/.test(text)) text += decoder.decode((await reader.read()).value);
      expect(text).toMatch(/"run_id":"dies-1"/);
    } finally {
      controller.abort();
      await quick.stop();
    }
  });
});
