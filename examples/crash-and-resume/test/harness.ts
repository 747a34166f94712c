import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@flightrec/collector";
import Database from "better-sqlite3";

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const AGENT_MAIN = join(exampleDir, "dist", "main.js");
export const COLLECTOR_CLI = join(exampleDir, "node_modules", "@flightrec", "collector", "dist", "cli.js");

/**
 * Short heartbeats so a verdict comes within seconds: 250 ms × 8 misses = 2 s of silence, swept
 * every 100 ms. Eight misses, not the default three, so a loaded test machine never stalls a
 * live agent long enough to look dead.
 */
export const HEARTBEAT_MS = 250;
export const HEARTBEAT_MISSES = 8;
export const SILENCE_THRESHOLD_MS = HEARTBEAT_MS * HEARTBEAT_MISSES;
export const SWEEP_MS = 100;

export interface Workspace {
  dir: string;
  dbPath: string;
  effectsPath: string;
  effects(): string[];
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  remove(): void;
}

export function createWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-crash-"));
  const dbPath = join(dir, "store.db");
  const effectsPath = join(dir, "effects.log");
  return {
    dir,
    dbPath,
    effectsPath,
    effects: () => (existsSync(effectsPath) ? readFileSync(effectsPath, "utf8").trim().split("\n") : []),
    query: <T>(sql: string, ...params: unknown[]) => {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real collector, in this process, with short verdict settings. */
export function startCollector(dbPath: string, port = 0): Promise<RunningServer> {
  return startServer({
    db: dbPath,
    host: "127.0.0.1",
    port,
    interrupts: { sweepIntervalMs: SWEEP_MS, heartbeatMisses: HEARTBEAT_MISSES },
  });
}

export interface AgentProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the agent printed a line containing `text`. */
  waitFor(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the example agent as a real child process. */
export function startAgent(endpoint: string, args: string[], ws: Workspace): AgentProcess {
  const child = spawn(
    process.execPath,
    [AGENT_MAIN, "--effects", ws.effectsPath, "--heartbeat-ms", String(HEARTBEAT_MS), ...args],
    { env: { ...process.env, FLIGHTREC_ENDPOINT: endpoint }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        void exited.then(() => {
          if (!out.includes(text)) reject(new Error(`agent exited without printing "${text}":\n${out}`));
        });
        check();
      }),
  };
}

/** Polls until `probe` returns a value (not undefined); fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface RunRow {
  run_id: string;
  status: string;
  current_step: number | null;
  current_step_name: string | null;
  attempts: number;
  cost_usd: number | null;
  error: string | null;
}

export interface StepRow {
  attempt: number;
  step_index: number;
  name: string;
  status: string;
  input: string | null;
  output: string | null;
  replayed: number | null;
}

export function runRow(ws: Workspace, runId: string): RunRow | undefined {
  return ws.query<RunRow>("SELECT * FROM runs WHERE run_id = ?", runId)[0];
}

export function stepRows(ws: Workspace, runId: string): StepRow[] {
  return ws.query<StepRow>(
    `SELECT attempt, step_index, name, status, input, output,
            json_extract(attributes, '$."flightrec.step.replayed"') AS replayed
     FROM spans WHERE run_id = ? AND kind = 'step' ORDER BY attempt, step_index`,
    runId,
  );
}
