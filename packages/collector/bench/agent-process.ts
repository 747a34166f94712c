import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { AgentPlan } from "./sdk-export-agent.js";

const AGENT = fileURLToPath(new URL("./sdk-export-agent.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

export interface Milestone {
  event: string;
  at: number;
  stats?: { sent: number; failed: number; dropped: number };
}

export interface Agent {
  milestone(event: string): Milestone;
  /** Resolves with the time the agent exited 0; rejects with its stderr otherwise. */
  exited: Promise<number>;
}

/** Runs the bench's agent (sdk-export-agent.ts) as its own process, so its CPU is not the collector's. */
export function startAgent(plan: AgentPlan): Agent {
  const child = spawn(process.execPath, ["--import", "tsx", AGENT, JSON.stringify(plan)], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(Date.now()) : reject(new Error(`agent exited ${code}: ${err}`)),
    ),
  );
  const milestone = (event: string) => {
    const line = out.split("\n").find((l) => l.includes(`"event":"${event}"`));
    if (!line) throw new Error(`the agent never reported ${event}:\n${out}\n${err}`);
    return JSON.parse(line) as Milestone;
  };
  return { milestone, exited };
}
