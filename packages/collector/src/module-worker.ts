import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread on a module of this package. From the build it is the `.js` file; from
 * TypeScript sources (tests, benches) a worker thread cannot load `.ts` (`--import tsx` does not
 * reach workers), so a small bootstrap registers tsx in the thread first, then imports the module.
 */
export function startModuleWorker(script: URL, options: WorkerOptions = {}): Worker {
  if (!script.pathname.endsWith(".ts")) return new Worker(script, options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** `name.js` beside the calling module when it runs from the build, `name.ts` from sources. */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}${callerUrl.endsWith(".ts") ? ".ts" : ".js"}`, callerUrl);
}
