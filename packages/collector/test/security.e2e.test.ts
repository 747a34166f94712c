import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { startServer } from "../src/server.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

const TOKEN = "s3cret-token";
const auth = { authorization: `Bearer ${TOKEN}` };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with any Host header (fetch cannot set one). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("security hardening", () => {
  let dashboardDir: string;
  let open: TestCollector;
  let guarded: TestCollector;

  beforeAll(async () => {
    dashboardDir = mkdtempSync(join(tmpdir(), "flightrec-dash-"));
    writeFileSync(join(dashboardDir, "index.html"), "<!doctype html><title>Flightrec</title>");
    open = await startTestCollector({ dashboardDir });
    guarded = await startTestCollector({ dashboardDir, token: TOKEN });
  });
  afterAll(async () => {
    await open?.stop();
    await guarded?.stop();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it.each([
    ["the dashboard", "/"],
    ["a client route of the dashboard", "/runs/task-1"],
    ["the API", "/api/runs"],
    ["an API error", "/api/no-such-thing"],
    ["a refused Host", "/api/runs"],
  ])(
    "sends security headers with %s: no framing, no sniffing, no referrer, a strict CSP",
    async (what, path) => {
      const host: Record<string, string> = what === "a refused Host" ? { host: "rebound.example" } : {};
      const { headers } = await get(open.server.url, path, host);
      const csp = String(headers["content-security-policy"]);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(headers).toMatchObject({
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
      });
    },
  );

  it("with --token, /metrics needs the token", async () => {
    expect((await get(guarded.server.url, "/metrics")).status).toBe(401);
    expect((await get(guarded.server.url, "/metrics", { authorization: "Bearer nope" })).status).toBe(401);
    const metrics = await get(guarded.server.url, "/metrics", auth);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^flightrec_write_queue_spans /m);
  });

  it("with --token, /health tells anyone whether it is up, and its details only with the token", async () => {
    const anyone = await get(guarded.server.url, "/health");
    expect(anyone.status).toBe(200);
    expect(JSON.parse(anyone.body)).toEqual({ status: "ok" });
    const operator = await get(guarded.server.url, "/health", auth);
    expect(operator.status).toBe(200);
    expect(JSON.parse(operator.body)).toMatchObject({
      status: "ok",
      store: { writable: true },
      queue: { depth: 0 },
    });
  });

  it("with --token on loopback, still answers only to loopback Host names (DNS rebinding)", async () => {
    for (const path of ["/api/runs", "/", "/health"]) {
      const rebound = await get(guarded.server.url, path, { ...auth, host: "rebound.example" });
      expect(rebound.status, path).toBe(403);
      expect(rebound.body).toContain("not a loopback name");
    }
    const { port } = new URL(guarded.server.url);
    expect((await get(guarded.server.url, "/api/runs", { ...auth, host: `localhost:${port}` })).status).toBe(
      200,
    );
  });

  it("beyond loopback, where a token is required, takes any Host name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-any-"));
    const server = await startServer({
      db: join(dir, "store.db"),
      host: "0.0.0.0",
      port: 0,
      token: TOKEN,
      logger: createLogger("silent"),
    });
    try {
      const named = await get(server.url, "/api/runs", { ...auth, host: "collector.internal" });
      expect(named.status).toBe(200);
      expect((await get(server.url, "/api/runs", { host: "collector.internal" })).status).toBe(401);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("decides loopback on the host's resolved addresses, not its name: a 127.* name is not loopback", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-host-"));
    const db = join(dir, "store.db");
    try {
      await expect(
        startServer({ db, host: "127.evil.invalid", port: 0, logger: createLogger("silent") }),
      ).rejects.toThrow(/cannot resolve host "127\.evil\.invalid"/);
      // Refused before anything was opened or bound.
      expect(existsSync(db)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
