import { init, shutdown } from "@flightrec/sdk";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightrecCheckpointError, FlightrecSaver, invokeAsRun } from "../src/index.js";
import { startTestCollector, type TestCollector } from "./collector.js";

const State = Annotation.Root({
  log: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  credentials: Annotation<Record<string, string>>(),
});

/** fetch → secret → send: `send` fails while `failSend` says so; every node counts its runs. */
function salesGraph(saver: FlightrecSaver, failSend: { on: boolean }, runs: Record<string, number>) {
  const node =
    (name: string, extra: object = {}) =>
    async () => {
      runs[name] = (runs[name] ?? 0) + 1;
      if (name === "send" && failSend.on) throw new Error("SMTP down");
      return { log: [name], ...extra };
    };
  return new StateGraph(State)
    .addNode("fetch", node("fetch"))
    .addNode("secret", node("secret", { credentials: { api_key: "k-123", user: "ops" } }))
    .addNode("send", node("send"))
    .addEdge(START, "fetch")
    .addEdge("fetch", "secret")
    .addEdge("secret", "send")
    .addEdge("send", END)
    .compile({ checkpointer: saver });
}

describe("FlightrecSaver with a LangGraph graph and a real collector", () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("continues a failed thread from its last finished node; a node whose state was redacted runs again", async () => {
    const runs: Record<string, number> = {};
    const failSend = { on: true };
    const graph = salesGraph(new FlightrecSaver({ endpoint: collector.url }), failSend, runs);
    const config = { configurable: { thread_id: "sales-1" } };
    await expect(graph.invoke({ log: [] }, config)).rejects.toThrow("SMTP down");
    failSend.on = false;
    const final = await graph.invoke(null, config);
    // fetch ran once; secret wrote an api_key, so its checkpoint was never handed back and it ran again.
    expect(runs).toEqual({ fetch: 1, secret: 2, send: 2 });
    expect(final.log).toEqual(["fetch", "secret", "send"]);
    expect(final.credentials).toEqual({ api_key: "k-123", user: "ops" });
    const stored = await collector.sql<{ redacted: number; checkpoint: string }>(
      "SELECT redacted, checkpoint FROM graph_checkpoints WHERE thread_id = 'sales-1' AND step = 2",
    );
    // One checkpoint per run of the node, each kept for the record with the secret masked.
    expect(stored.map((row) => row.redacted)).toEqual([1, 1]);
    for (const row of stored) {
      expect(row.checkpoint).not.toContain("k-123");
      expect(row.checkpoint).toContain("[REDACTED]");
    }
  });

  it("fails the step, naming the collector, when a checkpoint cannot be acknowledged", async () => {
    const gone = await startTestCollector();
    await gone.stop();
    const saver = new FlightrecSaver({ endpoint: gone.url, timeoutMs: 300 });
    const runs: Record<string, number> = {};
    const graph = salesGraph(saver, { on: false }, runs);
    const config = { configurable: { thread_id: "t" }, durability: "sync" as const };
    const error = await graph.invoke({ log: [] }, config).catch((e) => e);
    expect(error).toBeInstanceOf(FlightrecCheckpointError);
    expect(error.message).toContain(`the Flightrec collector at ${gone.url} did not acknowledge`);
    expect(error.message).toMatch(/within 300 ms \(ECONNREFUSED\)/);
    // The input's checkpoint was never saved, so no node ran on it.
    expect(runs).toEqual({});
  });

  it("runs no node after a checkpoint that was not acknowledged, through invokeAsRun by default", async () => {
    // A collector that takes bodies up to 64 KiB: fetch's state is bigger, so its checkpoint is refused.
    const small = await startTestCollector({ maxBodyBytes: 64 * 1024 });
    init({ endpoint: small.url, serviceName: "saver-test", handleProcessEvents: false });
    const runs: string[] = [];
    const graph = new StateGraph(State)
      .addNode("fetch", async () => {
        runs.push("fetch");
        return { log: ["x".repeat(100 * 1024)] };
      })
      .addNode("send", async () => {
        runs.push("send");
        return { log: ["send"] };
      })
      .addEdge(START, "fetch")
      .addEdge("fetch", "send")
      .addEdge("send", END)
      .compile({ checkpointer: new FlightrecSaver({ endpoint: small.url }) });
    try {
      const error = await invokeAsRun(graph, { log: [] }, { configurable: { thread_id: "t-2" } }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(FlightrecCheckpointError);
      expect(error.message).toMatch(/answered 413/);
      // LangGraph's own default ("async") would have run send meanwhile, on state never saved.
      expect(runs).toEqual(["fetch"]);
    } finally {
      await shutdown();
      await small.stop();
    }
  });

  it("sends the collector's token, and says so when it is refused", async () => {
    const guarded = await startTestCollector({ token: "s3cret" });
    try {
      const config = { configurable: { thread_id: "t" } };
      const refused = salesGraph(new FlightrecSaver({ endpoint: guarded.url }), { on: false }, {});
      await expect(refused.invoke({ log: [] }, config)).rejects.toThrow(/answered 401/);
      const runs: Record<string, number> = {};
      const graph = salesGraph(
        new FlightrecSaver({ endpoint: guarded.url, token: "s3cret" }),
        { on: false },
        runs,
      );
      expect((await graph.invoke({ log: [] }, config)).log).toEqual(["fetch", "secret", "send"]);
    } finally {
      await guarded.stop();
    }
  });
});
