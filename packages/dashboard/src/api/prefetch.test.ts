import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prefetch, takeArrived, takePrefetched } from "./prefetch";

describe("prefetch", () => {
  let server: Server;
  let base: string;
  let release: () => void = () => {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer = () => {
        res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify({ path: req.url }));
      };
      if (req.url === "/slow") release = answer;
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("gives an answer that has arrived once, with its body read", async () => {
    const url = `${base}/runs`;
    prefetch(url, new Headers());
    await expect
      .poll(() => takeArrived(url, (a) => a), { timeout: 5000 })
      .toMatchObject({
        ok: true,
        status: 200,
        body: { path: "/runs" },
      });
    expect(takeArrived(url, (a) => a)).toBeUndefined();
    expect(takePrefetched(url)).toBeUndefined();
  });

  it("keeps an answer not yet arrived, or not accepted, for the request that takes it", async () => {
    const slow = `${base}/slow`;
    prefetch(slow, new Headers());
    const offered: string[] = [];
    const refuse = (url: string) => () => {
      offered.push(url);
      return undefined;
    };
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(takeArrived(slow, refuse(slow))).toBeUndefined();
    expect(offered).toEqual([]);
    release();

    const missing = `${base}/missing`;
    prefetch(missing, new Headers());
    await expect.poll(() => takeArrived(missing, refuse(missing)) ?? offered.length).toBeGreaterThan(0);
    expect(offered).toContain(missing);
    expect(await takePrefetched(missing)).toMatchObject({ ok: false, status: 404 });
    expect(await takePrefetched(slow)).toMatchObject({ ok: true, body: { path: "/slow" } });
  });
});
