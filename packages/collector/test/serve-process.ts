import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
/** tsx by its location: serve may run in an empty folder, where `--import tsx` would not find it. */
const TSX = import.meta.resolve("tsx");

export interface ServeProcess {
  child: ChildProcess;
  /** The dashboard's origin, as serve printed it. */
  url: string;
  /** Everything it printed so far, for failure messages. */
  output(): string;
}

/**
 * Starts `flightrec serve` as a user would, with only the environment given (no FLIGHTREC_* from
 * the machine), and resolves once it prints the dashboard line.
 */
export function startServe(args: string[], env: Record<string, string>, cwd?: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ["--import", TSX, CLI, "serve", ...args], {
    env: { PATH: process.env.PATH, ...env },
    ...(cwd ? { cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const output = () => out;
  return new Promise((resolveUrl, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Dashboard: (http:\/\/[^/\s]+)\//.exec(out);
      if (match) resolveUrl({ child, url: match[1]!, output });
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

/** Sends the signals in turn and resolves with the exit code once serve is gone. */
export function stopServe(
  child: ChildProcess,
  signals: NodeJS.Signals[] = ["SIGTERM"],
): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    child.once("exit", (code) => done(code));
    for (const signal of signals) child.kill(signal);
  });
}

/** Runs `flightrec serve` that is expected to refuse to start, and resolves with its exit code and stderr. */
export function serveToExit(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", TSX, CLI, "serve", ...args], {
      env: { PATH: process.env.PATH, ...env },
      ...(cwd ? { cwd } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("exit", (code) => done({ code, stderr }));
  });
}
