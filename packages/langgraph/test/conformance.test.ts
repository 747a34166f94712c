import { validate } from "@langchain/langgraph-checkpoint-validation";
import type { it } from "vitest";
import { FlightrecSaver } from "../src/index.js";
import { startTestCollector, type TestCollector } from "./collector.js";

/**
 * LangGraph's own checkpointer conformance suite (@langchain/langgraph-checkpoint-validation
 * 1.1.1), run against the saver talking to a real collector on 127.0.0.1. Each checkpointer
 * starts on an empty store: the threads the previous one wrote are deleted through the saver.
 */
let collector: TestCollector;

/**
 * Tests the suite itself skips for LangGraph's MemorySaver and SqliteSaver, and why: like them,
 * this saver stores each checkpoint whole (docs/decisions/0018-langgraph-checkpointer.md).
 */
const SKIPPED: Record<string, string> = {
  "should only store channel_values that have changed (based on newVersions)":
    "stores whole checkpoints, not channel deltas, as MemorySaver and SqliteSaver do",
};

const globals = globalThis as unknown as { it: typeof it };
const realIt = globals.it;
globals.it = new Proxy(realIt, {
  apply(target, self, args: unknown[]) {
    const reason = typeof args[0] === "string" ? SKIPPED[args[0]] : undefined;
    if (reason) return realIt.skip(`[because it ${reason}] ${args[0]}`, () => {});
    return Reflect.apply(target, self, args);
  },
});

validate<FlightrecSaver>({
  checkpointerName: "@flightrec/langgraph",
  beforeAll: async () => {
    collector = await startTestCollector();
  },
  afterAll: async () => {
    await collector?.stop();
  },
  createCheckpointer: async () => {
    const saver = new FlightrecSaver({ endpoint: collector.url });
    const threads = new Set<string>();
    for await (const tuple of saver.list({})) threads.add(String(tuple.config.configurable?.thread_id));
    for (const thread of threads) await saver.deleteThread(thread);
    return saver;
  },
});
