/**
 * Cost per super-step of a LangGraph graph with each checkpointer, measured in the same run:
 * LangGraph's MemorySaver, SqliteSaver (a file), PostgresSaver (the local PostgreSQL, a database
 * created for the run and dropped after) and FlightrecSaver (a `flightrec serve` process of its
 * own, as in production). Rounds interleave the savers so that machine noise hits all alike; the
 * ratios, not the milliseconds, are the result. Target: FlightrecSaver within 2× of PostgresSaver.
 *
 *   pnpm --filter @flightrec/langgraph bench          (after pnpm build; PostgreSQL on 127.0.0.1:5432)
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { type BaseCheckpointSaver, MemorySaver } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { FlightrecSaver } from "../src/index.js";

const NODES = 8;
const THREADS_PER_ROUND = Number(process.env.BENCH_THREADS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PG = { host: "127.0.0.1", port: "5432", user: process.env.PGUSER ?? "postgres" };
const CLI = fileURLToPath(new URL("../../collector/dist/cli.js", import.meta.url));

/** State like an agent's: rows it fetched (~2 KB) and a log every node appends to. */
const State = Annotation.Root({
  rows: Annotation<{ region: string; revenue: number; note: string }[]>,
  log: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
});

function graphWith(checkpointer: BaseCheckpointSaver) {
  let builder = new StateGraph(State) as unknown as StateGraph<typeof State.spec>;
  const names = Array.from({ length: NODES }, (_, i) => `node_${i + 1}`);
  for (const name of names) {
    builder = builder.addNode(name, () => ({ log: [`${name} done`] })) as typeof builder;
  }
  const edges = [START, ...names, END];
  for (let i = 0; i + 1 < edges.length; i++) {
    builder = builder.addEdge(edges[i] as never, edges[i + 1] as never) as typeof builder;
  }
  return builder.compile({ checkpointer });
}

const ROWS = Array.from({ length: 20 }, (_, i) => ({
  region: `region-${i}`,
  revenue: 1000 * i,
  note: "quarterly figures as fetched from the warehouse".padEnd(80, "."),
}));

/** Milliseconds per super-step for THREADS_PER_ROUND fresh threads run to their end. */
async function timeSuperSteps(
  graph: ReturnType<typeof graphWith>,
  label: string,
  round: number,
): Promise<number> {
  const started = performance.now();
  for (let t = 0; t < THREADS_PER_ROUND; t++) {
    const out = await graph.invoke({ rows: ROWS }, { configurable: { thread_id: `${label}-${round}-${t}` } });
    if (out.log.length !== NODES) throw new Error(`${label}: the graph ran ${out.log.length} nodes`);
  }
  return (performance.now() - started) / (THREADS_PER_ROUND * NODES);
}

function psql(database: string, sql: string): void {
  execFileSync("psql", ["-h", PG.host, "-p", PG.port, "-U", PG.user, "-d", database, "-Atqc", sql], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function startCollector(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, "serve", "--db", db, "--port", "0", "--log-level", "info"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /"msg":"flightrec listening","url":"([^"]+)"/.exec(buffer);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`flightrec serve exited with ${code}: ${buffer}`)));
  });
  return { url, child };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-saver-bench-"));
  const database = `flightrec_saver_bench_${process.pid}`;
  psql("postgres", `CREATE DATABASE ${database}`);
  const collector = await startCollector(join(dir, "flightrec.db"));
  const postgres = PostgresSaver.fromConnString(`postgresql://${PG.user}@${PG.host}:${PG.port}/${database}`);
  try {
    await postgres.setup();
    const savers: [string, BaseCheckpointSaver][] = [
      ["MemorySaver", new MemorySaver()],
      ["SqliteSaver", SqliteSaver.fromConnString(join(dir, "langgraph.sqlite"))],
      ["PostgresSaver", postgres],
      ["FlightrecSaver", new FlightrecSaver({ endpoint: collector.url })],
    ];
    const graphs = savers.map(([label, saver]) => [label, graphWith(saver)] as const);
    for (const [label, graph] of graphs) await timeSuperSteps(graph, label, -1); // warm up
    const samples = new Map<string, number[]>(graphs.map(([label]) => [label, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, graph] of graphs)
        samples.get(label)!.push(await timeSuperSteps(graph, label, round));
    }
    const pg = median(samples.get("PostgresSaver")!);
    console.log(
      `${NODES}-node graph, ${THREADS_PER_ROUND} threads × ${ROUNDS} rounds per saver; median ms per super-step, and ratio to PostgresSaver in this run:`,
    );
    for (const [label] of graphs) {
      const ms = median(samples.get(label)!);
      console.log(
        `  ${label.padEnd(15)} ${ms.toFixed(3).padStart(8)} ms   ${(ms / pg).toFixed(2)}× PostgresSaver`,
      );
    }
    const ratio = median(samples.get("FlightrecSaver")!) / pg;
    console.log(
      `FlightrecSaver / PostgresSaver = ${ratio.toFixed(2)} (target ≤ 2): ${ratio <= 2 ? "met" : "MISSED"}`,
    );
  } finally {
    await postgres.end();
    collector.child.kill("SIGTERM");
    await new Promise((resolve) => collector.child.once("exit", resolve));
    psql("postgres", `DROP DATABASE IF EXISTS ${database}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
