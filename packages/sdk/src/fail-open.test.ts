import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deadEndpoint } from "../test/dead-endpoint.js";
import { deliveryStats, init, shutdown } from "./init.js";
import { run } from "./run.js";
import { tool } from "./tool.js";

afterEach(() => shutdown());

describe("fail-open export", () => {
  it("with the collector down, the agent gets its result, losses are counted and reported once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    init({
      endpoint: await deadEndpoint(),
      exportIntervalMs: 10,
      exportTimeoutMs: 300,
      handleProcessEvents: false,
    });
    const result = await run("offline", { runId: "down-1" }, async () => {
      let sum = 0;
      for (let i = 0; i < 20; i++) sum += await tool("inc", { i }, ({ i }) => i);
      return sum;
    });
    expect(result).toBe(190);
    // A collector that never answered is not waited for: shutdown() gives the spans up at once.
    await shutdown();
    // All 21 finished spans left the queue and failed (placeholders of open spans are not counted).
    expect(deliveryStats()).toEqual({ sent: 21, failed: 21, dropped: 0 });
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("could not be delivered"))).toHaveLength(1);
    warn.mockRestore();
  });

  it("with the collector hanging, spans beyond the queue bound are dropped, not buffered", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const hanging: Server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const { port } = hanging.address() as AddressInfo;
    init({
      endpoint: `http://127.0.0.1:${port}`,
      maxQueuedSpans: 50,
      exportTimeoutMs: 300,
      shutdownTimeoutMs: 50,
      handleProcessEvents: false,
    });
    for (let i = 0; i < 500; i++) tool("t", { i }, () => i);
    const stats = deliveryStats();
    expect(stats.sent + stats.dropped).toBeGreaterThanOrEqual(450);
    expect(stats.dropped).toBeGreaterThanOrEqual(450 - 50);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("could not be delivered"))).toHaveLength(1);
    await shutdown();
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    warn.mockRestore();
  });
});
