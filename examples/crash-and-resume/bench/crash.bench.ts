/**
 * Kills the example agent at 20 random moments and measures what survives:
 *   - the share of finished steps (step() returned) found in the store — target 100 %;
 *   - the p95 delay from a step's end (its span's end time) to its row being queryable — target < 250 ms.
 * The same kills against the agent configured as OpenTelemetry's defaults (5 s batch, no
 * checkpoint waiting) give the baseline, measured in the same run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "@flightrec/collector";
import Database from "better-sqlite3";

const TRIALS = 20;
const AGENT = join(import.meta.dirname, "..", "dist", "main.js");

interface Trial {
  finished: number[];
  found: number[];
  delaysMs: number[];
}

interface Mode {
  label: string;
  args: string[];
}

/** Small deterministic PRNG so every bench run kills at the same moments. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runTrial(url: string, db: Database.Database, runId: string, killAfterMs: number, mode: Mode) {
  const child = spawn(
    process.execPath,
    [
      AGENT,
      "--run-id",
      runId,
      "--report-steps",
      "--step-delay-ms",
      "40",
      "--heartbeat-ms",
      "500",
      ...mode.args,
    ],
    { env: { ...process.env, FLIGHTREC_ENDPOINT: url }, stdio: ["ignore", "pipe", "ignore"] },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const firstSeen = new Map<string, number>();
  const select = db.prepare(
    "SELECT span_id, ended_at FROM spans WHERE run_id = ? AND kind = 'step' AND status = 'ok' AND output IS NOT NULL",
  );
  const poll = () => {
    const now = Date.now();
    for (const row of select.all(runId) as { span_id: string; ended_at: string }[]) {
      if (!firstSeen.has(row.span_id)) firstSeen.set(row.span_id, now);
    }
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killAt = Date.now() + killAfterMs;
  while (Date.now() < killAt && child.exitCode === null) {
    poll();
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill("SIGKILL");
  await exited;
  // Whatever was acknowledged is stored already; a little grace shows what arrives late.
  const graceUntil = Date.now() + 300;
  while (Date.now() < graceUntil) {
    poll();
    await new Promise((r) => setTimeout(r, 5));
  }
  const finished = [...out.matchAll(/STEP_DONE (\d+)/g)].map((m) => Number(m[1]));
  const rows = db
    .prepare(
      "SELECT span_id, step_index, ended_at FROM spans WHERE run_id = ? AND kind = 'step' AND status = 'ok'",
    )
    .all(runId) as { span_id: string; step_index: number; ended_at: string }[];
  const found = finished.filter((i) => rows.some((r) => r.step_index === i));
  const delaysMs = rows
    .filter((r) => firstSeen.has(r.span_id))
    .map((r) => Math.max(0, firstSeen.get(r.span_id)! - Date.parse(r.ended_at)));
  return { finished, found, delaysMs } satisfies Trial;
}

function p95(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

async function measure(mode: Mode, url: string, db: Database.Database) {
  const random = mulberry32(20_261_123);
  const trials: Trial[] = [];
  for (let i = 0; i < TRIALS; i++) {
    // Node start-up takes ~250 ms; the eight steps take ~450 ms after that.
    const killAfterMs = 250 + Math.round(random() * 600);
    trials.push(await runTrial(url, db, `bench-${mode.label}-${i}`, killAfterMs, mode));
  }
  const finished = trials.reduce((n, t) => n + t.finished.length, 0);
  const found = trials.reduce((n, t) => n + t.found.length, 0);
  return {
    finished,
    found,
    share: finished === 0 ? 1 : found / finished,
    p95: p95(trials.flatMap((t) => t.delaysMs)),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-bench-"));
  const dbPath = join(dir, "store.db");
  const server = await startServer({ db: dbPath, port: 0 });
  const db = new Database(dbPath, { readonly: true });
  try {
    const flightrec = await measure({ label: "flightrec", args: [] }, server.url, db);
    const baseline = await measure({ label: "otel-defaults", args: ["--otel-defaults"] }, server.url, db);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const ms = (x: number | undefined) => (x === undefined ? "n/a (no step stored)" : `${x.toFixed(0)} ms`);
    console.log(`crash bench: ${TRIALS} agents killed (SIGKILL) at random moments`);
    console.log(
      `  finished steps found in the store: flightrec ${pct(flightrec.share)} (${flightrec.found}/${flightrec.finished}, target 100%)` +
        ` | OpenTelemetry defaults ${pct(baseline.share)} (${baseline.found}/${baseline.finished})`,
    );
    console.log(
      `  p95 step end → row queryable:      flightrec ${ms(flightrec.p95)} (target < 250 ms)` +
        ` | OpenTelemetry defaults ${ms(baseline.p95)}`,
    );
    console.log(
      "  (with OpenTelemetry defaults only runs that ended before the kill reach the store, flushed at shutdown)",
    );
    if (baseline.share > 0)
      console.log(`  survival ratio flightrec / baseline: ${(flightrec.share / baseline.share).toFixed(2)}×`);
  } finally {
    db.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
