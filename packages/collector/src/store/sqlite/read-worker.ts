import { parentPort, workerData } from "node:worker_threads";
import { lowerThreadPriority } from "../../thread-priority.js";
import { openReadDatabase } from "./open-database.js";
import type { ReadReply, ReadRequest } from "./read-pool.js";
import { StoreReader } from "./store-reader.js";

/** A read thread of the store: answers StoreReader calls from its own read-only connection. */
const { path, nice } = workerData as { path: string; nice: number };
if (nice > 0) lowerThreadPriority(nice);
const reader = new StoreReader(openReadDatabase(path));

parentPort!.on("message", ({ id, method, args }: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { id, result: (reader[method] as (...a: unknown[]) => unknown)(...args) };
  } catch (error) {
    const { name, message, code } = error as Error & { code?: string };
    reply = { id, error: { name, message, code } };
  }
  parentPort!.postMessage(reply);
});
