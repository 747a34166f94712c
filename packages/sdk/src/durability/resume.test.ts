import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flush, init, shutdown } from "../init.js";
import { REDACTED } from "../redact.js";
import { run } from "../run.js";
import { step } from "../step.js";
import type { RunCheckpoints } from "./checkpoint-client.js";
import { CheckpointError, CheckpointMismatchError, DeadlineExceededError, ResumeError } from "./errors.js";

const SECRET = "sk-proj-unitSECRETunitSECRETunit";
const exporter = new InMemorySpanExporter();
const recorded = new Map<string, RunCheckpoints>();
let server: Server;

const previous = (runId: string, names: string[]): RunCheckpoints => ({
  runId,
  attempt: 1,
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  steps: names.map((name, i) => ({
    index: i + 1,
    name,
    spanId: `s${i}`,
    attempt: 1,
    output: { from: name },
    redacted: false,
  })),
});

beforeAll(async () => {
  // A stand-in collector answering the checkpoints and step-duration routes.
  server = createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    const match = /^\/api\/runs\/([^/]+)\/checkpoints$/.exec(url.pathname);
    const body = match
      ? recorded.get(decodeURIComponent(match[1]!))
      : url.pathname === "/api/step-durations"
        ? { run: url.searchParams.get("run"), steps: [{ name: "slow_step", count: 9, p95_ms: 60_000 }] }
        : undefined;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "no such run" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  init({ exporter, endpoint: `http://127.0.0.1:${port}`, handleProcessEvents: false });
});
afterAll(async () => {
  await shutdown();
  await new Promise((resolve) => server.close(resolve));
});

/** Final spans of one run (the batch may still deliver spans of earlier tests). */
async function finals(runId: string) {
  await flush();
  return exporter
    .getFinishedSpans()
    .filter(
      (s) => s.attributes["flightrec.span.pending"] !== true && s.attributes["flightrec.run.id"] === runId,
    );
}

describe("resume", () => {
  it("returns recorded outputs without executing, then runs from the first unfinished step", async () => {
    recorded.set("r-1", previous("r-1", ["fetch", "analyze"]));
    const executed: string[] = [];
    const result = await run("agent", { runId: "r-1", resume: true }, async () => {
      const a = await step("fetch", () => executed.push("fetch"));
      const b = await step("analyze", () => executed.push("analyze"));
      const c = await step("send", () => {
        executed.push("send");
        return "sent";
      });
      return [a, b, c];
    });
    expect(executed).toEqual(["send"]);
    expect(result).toEqual([{ from: "fetch" }, { from: "analyze" }, "sent"]);
    const spans = await finals("r-1");
    const steps = spans.filter((s) => s.attributes["flightrec.span.kind"] === "step");
    expect(steps.map((s) => [s.name, s.attributes["flightrec.step.replayed"] ?? false])).toEqual([
      ["fetch", true],
      ["analyze", true],
      ["send", false],
    ]);
    const root = spans.find((s) => s.attributes["flightrec.span.kind"] === "run")!;
    expect(root.attributes["flightrec.run.attempt"]).toBe(2);
    expect(root.links[0]?.context).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c" });
  });

  it("starts attempt 1 when the collector has never seen the run", async () => {
    const out = await run("agent", { runId: "r-new", resume: true }, () => step("only", () => 7));
    expect(out).toBe(7);
    const root = (await finals("r-new")).find((s) => s.attributes["flightrec.span.kind"] === "run")!;
    expect(root.attributes["flightrec.run.attempt"]).toBe(1);
  });

  it("refuses to resume when a step name differs at an index, naming both", async () => {
    recorded.set("r-2", previous("r-2", ["fetch", "analyze"]));
    const executed: string[] = [];
    const attempt = run("agent", { runId: "r-2", resume: true }, async () => {
      await step("fetch", () => executed.push("fetch"));
      await step("summarize", () => executed.push("summarize"));
    });
    await expect(attempt).rejects.toThrow(CheckpointMismatchError);
    await expect(attempt).rejects.toThrow(
      /step 2 was recorded as "analyze" but the code now runs "summarize"/,
    );
    expect(executed).toEqual([]);
  });

  it("re-executes from the mismatch when asked to", async () => {
    recorded.set("r-3", previous("r-3", ["fetch", "analyze", "send"]));
    const executed: string[] = [];
    await run("agent", { runId: "r-3", resume: true, onCheckpointMismatch: "reexecute" }, async () => {
      await step("fetch", () => executed.push("fetch"));
      await step("summarize", () => executed.push("summarize"));
      await step("send", () => executed.push("send"));
    });
    expect(executed).toEqual(["summarize", "send"]);
  });

  it("executes again from the first step whose checkpoint was redacted, replaying the clean ones", async () => {
    const recording = previous("r-4", ["fetch", "login", "analyze"]);
    recording.steps[1] = { ...recording.steps[1]!, output: { apiKey: REDACTED }, redacted: true };
    recorded.set("r-4", recording);
    const executed: string[] = [];
    const result = await run("agent", { runId: "r-4", resume: true }, async () => {
      const a = await step("fetch", () => executed.push("fetch"));
      const b = await step("login", () => {
        executed.push("login");
        return { apiKey: SECRET };
      });
      const c = await step("analyze", () => {
        executed.push("analyze");
        return "analyzed";
      });
      return [a, b, c];
    });
    expect(executed).toEqual(["login", "analyze"]);
    expect(result).toEqual([{ from: "fetch" }, { apiKey: SECRET }, "analyzed"]);
  });

  it("needs the runId to resume", () => {
    expect(() => run("agent", { resume: true }, () => 1)).toThrow(/resume: true needs the runId/);
  });

  it("fails clearly when the collector cannot be reached", async () => {
    const { configureDurability, durabilityConfig } = await import("./config.js");
    const saved = durabilityConfig();
    configureDurability({ endpoint: "http://127.0.0.1:9" });
    try {
      await expect(run("agent", { runId: "r-x", resume: true }, () => 1)).rejects.toThrow(ResumeError);
    } finally {
      configureDurability({ endpoint: saved.endpoint });
    }
  });
});

describe("checkpoints", () => {
  it("redacts a secret in a step's result before export and flags the output", async () => {
    const result = await run("agent", { runId: "c-2" }, () =>
      step("login", () => ({ user: "ada", apiKey: SECRET, note: `key ${SECRET}` })),
    );
    expect(result).toEqual({ user: "ada", apiKey: SECRET, note: `key ${SECRET}` });
    const [span] = (await finals("c-2")).filter((s) => s.attributes["flightrec.span.kind"] === "step");
    const output = span!.attributes["flightrec.step.output"] as string;
    expect(output).not.toContain("sk-proj");
    expect(JSON.parse(output)).toEqual({ user: "ada", apiKey: REDACTED, note: `key ${REDACTED}` });
    expect(span!.attributes["flightrec.step.output_redacted"]).toBe(true);
  });

  it("keeps a clean result exact and unflagged", async () => {
    await run("agent", { runId: "c-3" }, () => step("count", () => ({ rows: 2, tokens_used: 9 })));
    const [span] = (await finals("c-3")).filter((s) => s.attributes["flightrec.span.kind"] === "step");
    expect(span!.attributes["flightrec.step.output"]).toBe('{"rows":2,"tokens_used":9}');
    expect(span!.attributes["flightrec.step.output_redacted"]).toBeUndefined();
  });

  it("redacts the result of a step outside a run too", async () => {
    step("loose", () => ({ token: "t0ps3cret" }));
    await flush();
    const span = exporter.getFinishedSpans().find((s) => s.name === "loose")!;
    expect(span.attributes["flightrec.step.output"]).toBe(`{"token":"${REDACTED}"}`);
    expect(span.attributes["flightrec.step.output_redacted"]).toBe(true);
  });

  it("gives a clear error at the step when its result cannot be stored", async () => {
    const attempt = run("agent", { runId: "c-1" }, () => step("count", async () => ({ total: 10n })));
    await expect(attempt).rejects.toThrow(CheckpointError);
    await expect(attempt).rejects.toThrow(/step 1 "count": .*result.total is a BigInt/);
  });
});

describe("deadline", () => {
  it("stops before a step expected (p95 from the collector) to outlast the time left", async () => {
    const executed: string[] = [];
    const attempt = run("agent", { runId: "d-1", deadline: () => 5_000 }, async () => {
      await step("quick", () => executed.push("quick"));
      await step("slow_step", () => executed.push("slow_step"));
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ runId: "d-1", stepName: "slow_step", stepIndex: 2, expectedMs: 60_000 });
    expect(executed).toEqual(["quick"]);
    const root = (await finals("d-1")).find((s) => s.attributes["flightrec.span.kind"] === "run")!;
    expect(root.attributes["flightrec.run.interrupted"]).toBe("deadline");
    // Where it stopped, as the error says: before step 2, where resume continues.
    expect(root.attributes["flightrec.run.next_step.index"]).toBe(2);
    expect(root.attributes["flightrec.run.next_step.name"]).toBe("slow_step");
  });

  it("prefers a given estimate over the collector's", async () => {
    const executed: string[] = [];
    await run(
      "agent",
      { runId: "d-2", deadline: () => 5_000, stepEstimatesMs: { slow_step: 100 } },
      async () => {
        await step("slow_step", () => executed.push("slow_step"));
      },
    );
    expect(executed).toEqual(["slow_step"]);
  });
});
