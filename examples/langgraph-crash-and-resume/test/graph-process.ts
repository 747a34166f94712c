import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface GraphProcess {
  child: ChildProcess;
  /** Resolves when the process printed a line starting with this (rejects if it exits first). */
  printed(prefix: string): Promise<string>;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed, for failure messages. */
  output(): string;
}

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** Runs the example (`src/main.ts`, through tsx) as a child process of its own. */
export function startGraph(args: string[], env: Record<string, string>): GraphProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  const lineWith = (prefix: string) => out.split("\n").find((line) => line.startsWith(prefix));
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const line = lineWith(w.prefix);
      if (line !== undefined && out.includes(`${line}\n`)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => out,
    printed: (prefix) =>
      new Promise<string>((resolve, reject) => {
        const line = lineWith(prefix);
        if (line !== undefined && out.includes(`${line}\n`)) return resolve(line);
        waiters.push({ prefix, resolve });
        void exited.then(() => reject(new Error(`the graph exited before printing "${prefix}":\n${out}`)));
      }),
  };
}
