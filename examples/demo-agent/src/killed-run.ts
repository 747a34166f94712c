import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The crash-and-resume example's agent, as `pnpm build` left it. */
export function crashAgentScript(): string {
  const require = createRequire(import.meta.url);
  return join(
    dirname(require.resolve("@flightrec/example-crash-and-resume/package.json")),
    "dist",
    "main.js",
  );
}

/**
 * Runs the crash-and-resume agent as a real process and kills it with SIGKILL inside step 5, so
 * the store holds a run that died mid-flight, as it would in production. A short heartbeat lets
 * the collector reach its verdict within about a second.
 */
export async function recordKilledRun(endpoint: string, runId: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [crashAgentScript(), "--run-id", runId, "--crash-at", "5", "--heartbeat-ms", "300"].concat([
      "--effects",
      join(tmpdir(), `flightrec-${runId}-effects.log`),
    ]),
    { env: { ...process.env, FLIGHTREC_ENDPOINT: endpoint }, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("REACHED step 5")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the crash agent exited (${code}) before step 5`)));
  });
  // Killed a moment into step 5, once the collector has seen that the step started.
  await waitForRun(endpoint, runId, (run) => run.current_step === 5, "to be in step 5");
  child.kill("SIGKILL");
  await exited;
  await waitForRun(endpoint, runId, (run) => run.status === "interrupted", "to be marked interrupted");
}

interface RunSummary {
  status: string;
  current_step: number | null;
}

async function waitForRun(endpoint: string, runId: string, done: (run: RunSummary) => boolean, what: string) {
  // A collector started with --token answers /api only with it, as the SDK sends it.
  const token = process.env.FLIGHTREC_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const response = await fetch(`${endpoint}/api/runs/${encodeURIComponent(runId)}`, { headers });
    if (response.ok && done(((await response.json()) as { run: RunSummary }).run)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} was not seen ${what} within 10 s`);
}
