import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface AgentProcess {
  child: ChildProcess;
  /** Resolves when the agent printed this line (rejects if it exits first). */
  printed(line: string): Promise<void>;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed to stdout and stderr, for failure messages. */
  output(): string;
}

/** Runs one of this folder's agents (TypeScript, through tsx) as a child process of its own. */
export function startAgent(script: string, args: string[], env: Record<string, string>): AgentProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path, ...args], {
    cwd: fileURLToPath(new URL(".", import.meta.url)),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: { line: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (out.split("\n").includes(w.line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
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
    printed: (line) =>
      new Promise<void>((resolve, reject) => {
        if (out.split("\n").includes(line)) return resolve();
        waiters.push({ line, resolve });
        void exited.then(() => reject(new Error(`agent exited before printing "${line}":\n${out}`)));
      }),
  };
}
