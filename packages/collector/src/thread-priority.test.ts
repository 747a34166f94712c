import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

describe.runIf(process.platform === "linux")("lowerThreadPriority", () => {
  it("lowers the calling thread's priority alone, not the process's", async () => {
    const before = getPriority();
    const module = new URL("./thread-priority.ts", import.meta.url).href;
    const tsx = import.meta.resolve("tsx/esm/api");
    const worker = new Worker(
      `import(${JSON.stringify(tsx)}).then(async (tsx) => {
         tsx.register();
         const { lowerThreadPriority } = await import(${JSON.stringify(module)});
         const { readlinkSync } = await import("node:fs");
         const { getPriority } = await import("node:os");
         lowerThreadPriority(10);
         const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
         (await import("node:worker_threads")).parentPort.postMessage(getPriority(tid));
       });`,
      { eval: true },
    );
    const threadNice = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(threadNice).toBe(Math.max(10, before));
    expect(getPriority()).toBe(before);
  });
});
