import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { deadEndpoint } from "./dead-endpoint.js";

const AGENT = fileURLToPath(new URL("./refused-agent.ts", import.meta.url));
/**
 * The agent's checkpoint and shutdown bound. Before, a refused connection cost all of it (the
 * exporter retried the refused connection for longer); now it costs next to nothing. The
 * test allows half the bound, which no machine needs for a few local connection attempts.
 */
const BOUND_MS = 8_000;
const WIDE_MARGIN_MS = BOUND_MS / 2;

interface Milestone {
  event: string;
  at: number;
  tookMs?: number;
  stats?: { sent: number; failed: number; dropped: number };
  warnings?: string[];
}

async function runAgent(...args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", AGENT, await deadEndpoint(), String(BOUND_MS), ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const [code, exitedAt] = await new Promise<[number | null, number]>((resolve) =>
    child.once("exit", (c) => resolve([c, Date.now()])),
  );
  const milestones = out
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Milestone);
  const at = (event: string) => {
    const found = milestones.find((m) => m.event === event);
    if (!found) throw new Error(`the agent never reported "${event}":\n${out}\n${err}`);
    return found;
  };
  return { code, exitedAt, at, err };
}

describe("nothing listening at the collector's address", () => {
  it("a step's checkpoint wait ends with the refusal; shutdown() and the process end promptly", async () => {
    const agent = await runAgent();
    expect(agent.code, agent.err).toBe(0);
    const first = agent.at("first-step-returned");
    const done = agent.at("shutdown-done");
    // The wait ended because the connection was refused, not because the bound ran out.
    const checkpointWarning = done.warnings?.find((w) => w.includes("did not acknowledge the checkpoint"));
    expect(checkpointWarning).toContain("ECONNREFUSED");
    expect(first.tookMs).toBeLessThan(WIDE_MARGIN_MS);
    // Every finished span got its answer (refused) before shutdown() returned: none was cut off.
    expect(done.stats).toMatchObject({ sent: 5, failed: 5, dropped: 0 });
    expect(done.warnings?.some((w) => w.includes("ECONNREFUSED"))).toBe(true);
    expect(done.warnings?.some((w) => w.includes("of shutdown"))).toBe(false);
    expect(done.at - agent.at("run-done").at).toBeLessThan(WIDE_MARGIN_MS);
    // Nothing is left to keep the process alive after shutdown().
    expect(agent.exitedAt - done.at).toBeLessThan(WIDE_MARGIN_MS);
  }, 60_000);

  it("without shutdown(), the process exits by itself right after the run", async () => {
    const agent = await runAgent("--no-shutdown");
    expect(agent.code, agent.err).toBe(0);
    expect(agent.at("exit").at - agent.at("run-done").at).toBeLessThan(WIDE_MARGIN_MS);
  }, 60_000);
});
