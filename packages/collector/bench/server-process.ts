import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident memory of the server process now, in MiB (Linux). */
  rssMiB(): number;
  /** CPU time the server process has used so far, all threads, in seconds (Linux). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** BENCH_CLI runs another build (e.g. a copy of dist from another commit) for A/B comparisons. */
const CLI = process.env.BENCH_CLI ?? fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/**
 * Runs the built `flightrec serve` as its own process, so the load generator does not share its
 * core; `db` is a SQLite file or a `postgres://` URL.
 */
export async function startServerProcess(db: string, extra: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PERF ? ["--perf-basic-prof"] : []),
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      CLI,
      "serve",
      // A PostgreSQL URL is the store itself; anything else is a SQLite file.
      ...(db.startsWith("postgres://") ? ["--store", db] : ["--db", db]),
      "--port",
      "0",
      "--log-level",
      "info",
      ...extra,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"msg":"flightrec listening","url":"([^"]+)"/.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${buffer}`)));
  });
  return {
    url,
    pid: child.pid!,
    rssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    },
    cpuSeconds: () => {
      // Fields after the command name; utime and stime are the 12th and 13th of them, in clock ticks.
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
