import { describe, expect, it } from "vitest";
import { spanRecord } from "../../../test/span-record.js";
import { STORE_KINDS, useStore } from "../../../test/store-harness.js";
import type { SpanRecord } from "../../domain.js";
import { startInterruptSweeper } from "../../verdict/interrupt-sweeper.js";

let clock = 1_000_000n;
const ids = new Map<string, string>();
/** Real span IDs are 16 hex digits; readable labels map to stable ones. */
function hexId(label: string): string {
  if (!ids.has(label)) ids.set(label, (ids.size + 1).toString(16).padStart(16, "0"));
  return ids.get(label)!;
}
function span(
  attempt: number,
  kind: "run" | "step" | "llm",
  name: string,
  extra: Partial<SpanRecord> = {},
): SpanRecord {
  clock += 1_000_000n;
  return spanRecord({
    traceId: `${attempt}`.padStart(32, "a"),
    spanId: hexId(`${attempt}-${kind}-${name}`),
    runId: "run-1",
    runName: kind === "run" ? "agent" : null,
    service: "svc",
    attempt,
    kind,
    name,
    startNs: clock,
    endNs: clock + 500_000n,
    ...extra,
    ...(extra.spanId ? { spanId: hexId(extra.spanId) } : {}),
  });
}
const step = (attempt: number, index: number, name: string, extra: Partial<SpanRecord> = {}) =>
  span(attempt, "step", name, { stepIndex: index, output: JSON.stringify(`${name}@${attempt}`), ...extra });
const replayed = (attempt: number, index: number, name: string) =>
  step(attempt, index, name, {
    spanId: `${attempt}-replay-${index}`,
    attributes: '{"flightrec.step.replayed":true}',
  });

describe.each(STORE_KINDS)("crash survival (%s store)", (kind) => {
  const current = useStore(kind);
  const queries = () => current().store.durability;

  describe("checkpoints", () => {
    it("lists finished steps in order with parsed outputs, and the newest attempt's run span", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent", { status: "running", endNs: null, pending: true }),
        step(1, 1, "fetch"),
        step(1, 2, "analyze"),
        step(1, 3, "send", { status: "running", endNs: null, output: null, pending: true }),
      ]);
      expect(await queries().checkpoints("run-1")).toEqual({
        runId: "run-1",
        attempt: 1,
        traceId: "1".padStart(32, "a"),
        spanId: hexId("1-run-invoke_agent agent"),
        steps: [
          {
            index: 1,
            name: "fetch",
            spanId: hexId("1-step-fetch"),
            attempt: 1,
            output: "fetch@1",
            redacted: false,
          },
          {
            index: 2,
            name: "analyze",
            spanId: hexId("1-step-analyze"),
            attempt: 1,
            output: "analyze@1",
            redacted: false,
          },
        ],
      });
      expect(await queries().checkpoints("unknown")).toBeNull();
    });

    it("ignores replayed copies and keeps executed steps across attempts", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent"),
        step(1, 1, "fetch"),
        step(1, 2, "analyze"),
        span(2, "run", "invoke_agent agent"),
        replayed(2, 1, "fetch"),
        replayed(2, 2, "analyze"),
        step(2, 3, "send"),
      ]);
      const result = (await queries().checkpoints("run-1"))!;
      expect(result.attempt).toBe(2);
      expect(result.steps.map((s) => [s.index, s.attempt])).toEqual([
        [1, 1],
        [2, 1],
        [3, 2],
      ]);
    });

    it("drops older attempts' later steps once a newer attempt re-executed an earlier one", async () => {
      await current().store.ingest([
        step(1, 1, "fetch"),
        step(1, 2, "analyze"),
        step(1, 3, "send"),
        replayed(2, 1, "fetch"),
        step(2, 2, "summarize"),
      ]);
      expect((await queries().checkpoints("run-1"))!.steps.map((s) => [s.index, s.name])).toEqual([
        [1, "fetch"],
        [2, "summarize"],
      ]);
    });

    it("flags a step whose output was redacted, and still lists the steps after it", async () => {
      await current().store.ingest([
        step(1, 1, "fetch"),
        step(1, 2, "login", {
          output: '{"apiKey":"[REDACTED]"}',
          attributes: '{"flightrec.step.output_redacted":true}',
        }),
        step(1, 3, "send"),
      ]);
      expect(
        (await queries().checkpoints("run-1"))!.steps.map((s) => [s.name, s.redacted, s.output]),
      ).toEqual([
        ["fetch", false, "fetch@1"],
        ["login", true, { apiKey: "[REDACTED]" }],
        ["send", false, "send@1"],
      ]);
    });

    it("stops at the first gap: a failed step is not a checkpoint", async () => {
      await current().store.ingest([
        step(1, 1, "fetch"),
        step(1, 2, "analyze", { status: "error" }),
        step(1, 3, "send"),
      ]);
      expect((await queries().checkpoints("run-1"))!.steps.map((s) => s.index)).toEqual([1]);
    });
  });

  describe("interrupt", () => {
    it("records the step in flight, its input, the cost so far, a failures row and the run's status", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent", {
          status: "running",
          endNs: null,
          pending: true,
          input: '{"q":3}',
        }),
        step(1, 1, "fetch"),
        span(1, "llm", "chat", { costUsd: 0.25 }),
        // A stream still in flight whose usage so far arrived with the last heartbeat.
        span(1, "llm", "chat-stream", { costUsd: 0.05, status: "running", endNs: null, pending: true }),
        step(1, 2, "send_email", {
          status: "running",
          endNs: null,
          output: null,
          input: '{"to":"a@b.c"}',
          pending: true,
        }),
      ]);
      const [open] = await queries().openAttemptsSince(new Date(0).toISOString());
      expect(open).toMatchObject({
        run_id: "run-1",
        attempt: 1,
        run_status: "running",
        root_input: '{"q":3}',
      });
      await queries().interrupt({
        runId: "run-1",
        attempt: 1,
        reason: "SIGTERM",
        rootInput: open!.root_input,
        step: await queries().inFlightStep("run-1", 1),
        now: new Date(),
      });
      const detail = (await current().store.getRun("run-1"))!;
      expect(detail.run).toMatchObject({
        status: "interrupted",
        error: "SIGTERM",
        current_step: 2,
      });
      // Finished calls plus the usage an in-flight stream reported so far.
      expect(detail.run.cost_usd).toBeCloseTo(0.3, 10);
      expect(detail.failures).toEqual([
        expect.objectContaining({
          step: 2,
          name: "send_email",
          error_type: "interrupted",
          input: '{"to":"a@b.c"}',
          context: '{"q":3}',
        }),
      ]);
      expect(await queries().openAttemptsSince(new Date(0).toISOString())).toEqual([]);
    });

    it("lets a later attempt run, and a run thought dead that finishes ok is ok", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent", { status: "running", endNs: null, pending: true }),
      ]);
      await queries().interrupt({
        runId: "run-1",
        attempt: 1,
        reason: "x",
        rootInput: null,
        step: undefined,
        now: new Date(),
      });
      await current().store.ingest([
        span(2, "run", "invoke_agent agent", { status: "running", endNs: null, pending: true }),
      ]);
      expect((await current().store.getRun("run-1"))!.run).toMatchObject({ status: "running", attempts: 2 });
      await current().store.ingest([span(2, "run", "invoke_agent agent")]);
      expect((await current().store.getRun("run-1"))!.run).toMatchObject({ status: "ok", error: null });
    });
  });

  describe("the open spans of an interrupted attempt", () => {
    const HEARD_MS = 1_700_000_000_500;
    /** Killed inside step 2, with a model call in flight; the last heartbeat came at HEARD_MS. */
    let inStep2: SpanRecord;
    const killedInStep2 = () => {
      const root = span(1, "run", "invoke_agent agent", { status: "running", endNs: null, pending: true });
      const fetch = step(1, 1, "fetch");
      inStep2 = step(1, 2, "send_email", {
        status: "running",
        endNs: null,
        output: null,
        pending: true,
        attributes: JSON.stringify({ "flightrec.heartbeat.at": HEARD_MS }),
      });
      const inFlightCall = span(1, "llm", "chat", { status: "running", endNs: null, pending: true });
      return current().store.ingest([root, fetch, inStep2, inFlightCall]);
    };
    const spanRows = () =>
      current().query<{
        name: string;
        attempt: number;
        status: string;
        error: string | null;
        end_ns: string;
      }>(
        `SELECT name, attempt, status, error, ended_at, CAST(end_ns AS TEXT) AS end_ns FROM spans
         WHERE run_id = 'run-1' ORDER BY attempt, start_ns`,
      );

    /** The verdict on attempt 1, as the sweeper gives it. */
    const interruptAttempt1 = async (reason: string) =>
      queries().interrupt({
        runId: "run-1",
        attempt: 1,
        reason,
        rootInput: null,
        step: await queries().inFlightStep("run-1", 1),
        now: new Date(),
      });

    it("are interrupted with the verdict: an error naming the reason, ended when last heard of", async () => {
      await killedInStep2();
      await interruptAttempt1("no heartbeat since 2023-11-14T22:13:20.500Z");
      const rows = await spanRows();
      expect(rows.map((r) => [r.name, r.status, r.error])).toEqual([
        ["invoke_agent agent", "error", "interrupted: no heartbeat since 2023-11-14T22:13:20.500Z"],
        ["fetch", "ok", null],
        ["send_email", "error", "interrupted: no heartbeat since 2023-11-14T22:13:20.500Z"],
        ["chat", "error", "interrupted: no heartbeat since 2023-11-14T22:13:20.500Z"],
      ]);
      const lastHeard = `${BigInt(HEARD_MS) * 1_000_000n}`;
      for (const row of rows.filter((r) => r.status === "error")) {
        expect(row).toMatchObject({ end_ns: lastHeard, ended_at: new Date(HEARD_MS).toISOString() });
      }
    });

    it("still give way to the agent's final span when it arrives after all", async () => {
      await killedInStep2();
      await interruptAttempt1("x");
      // A late heartbeat placeholder changes nothing; the finished span replaces the verdict's.
      const late = { ...inStep2, attributes: "{}" };
      await current().store.ingest([late]);
      expect((await spanRows()).find((r) => r.name === "send_email")).toMatchObject({ status: "error" });
      await current().store.ingest([
        { ...late, status: "ok", endNs: late.startNs + 5n, output: '"sent"', pending: false },
      ]);
      expect((await spanRows()).find((r) => r.name === "send_email")).toMatchObject({
        status: "ok",
        error: null,
      });
    });

    it("of an attempt a resumed one replaced before any verdict are interrupted too", async () => {
      await killedInStep2();
      // Resumed at once: attempt 2 replays step 1, runs step 2 and finishes before the sweeper looked.
      await current().store.ingest([
        span(2, "run", "invoke_agent agent"),
        step(2, 1, "fetch", { spanId: "2-fetch", attributes: '{"flightrec.step.replayed":true}' }),
        step(2, 2, "send_email", { spanId: "2-send" }),
      ]);
      const sweeper = startInterruptSweeper({ queries: current().store.durability, sweepIntervalMs: 60_000 });
      try {
        expect(await sweeper.sweep()).toEqual(["run-1"]);
      } finally {
        sweeper.stop();
      }
      expect((await spanRows()).filter((r) => r.status === "running")).toEqual([]);
      expect((await spanRows()).find((r) => r.attempt === 1 && r.name === "send_email")).toMatchObject({
        status: "error",
        error: "interrupted: superseded by attempt 2",
      });
      expect(await current().query("SELECT attempt, reason, step, step_name FROM interruptions")).toEqual([
        { attempt: 1, reason: "superseded by attempt 2", step: 2, step_name: "send_email" },
      ]);
      expect((await current().store.getRun("run-1"))!.run).toMatchObject({ status: "ok", attempts: 2 });
    });
  });

  describe("a run stopped by its deadline between steps", () => {
    it("is interrupted before the step it stopped before, where resume continues", async () => {
      await current().store.ingest([
        span(1, "run", "invoke_agent agent", {
          status: "error",
          errorMessage: "flightrec: run stopped before step 3",
          attributes: JSON.stringify({
            "flightrec.run.interrupted": "deadline",
            "flightrec.run.next_step.index": 3,
            "flightrec.run.next_step.name": "send_email",
          }),
        }),
        step(1, 1, "fetch"),
        step(1, 2, "write_summary"),
      ]);
      const sweeper = startInterruptSweeper({ queries: current().store.durability, sweepIntervalMs: 60_000 });
      try {
        expect(await sweeper.sweep()).toEqual(["run-1"]);
      } finally {
        sweeper.stop();
      }
      expect(await current().query("SELECT reason, step, step_name FROM interruptions")).toEqual([
        { reason: "deadline", step: 3, step_name: "send_email" },
      ]);
      expect((await current().store.getRun("run-1"))!.run).toMatchObject({
        status: "interrupted",
        error: "deadline",
        current_step: 3,
        current_step_name: "send_email",
        steps: 2,
      });
    });
  });

  describe("a resumed attempt whose run span has not arrived yet", () => {
    // The SDK exports a run's placeholder at the next export tick; a fast first step can come first.
    const killedThenResumed = () =>
      current().store.ingest([
        span(1, "run", "invoke_agent agent", {
          status: "error",
          errorMessage: "SIGTERM",
          attributes: '{"flightrec.run.interrupted":"SIGTERM"}',
        }),
        step(1, 1, "fetch"),
        step(2, 1, "fetch", {
          spanId: "2-fetch",
          status: "running",
          endNs: null,
          output: null,
          pending: true,
        }),
      ]);

    it("has no run span in its checkpoints, rather than the killed attempt's", async () => {
      await killedThenResumed();
      expect(await queries().checkpoints("run-1")).toMatchObject({ attempt: 2, traceId: null, spanId: null });
    });

    it("is not given the killed attempt's interruption reason", async () => {
      await killedThenResumed();
      expect(await queries().openAttemptsSince(new Date(0).toISOString())).toEqual([
        expect.objectContaining({ run_id: "run-1", attempt: 2, run_status: "running", reason: null }),
      ]);
    });
  });

  describe("step durations", () => {
    it("gives the p95 of executed steps of runs with that name", async () => {
      const spans = [span(1, "run", "invoke_agent agent")];
      for (let i = 1; i <= 20; i++) {
        clock += 10_000_000n;
        spans.push(
          step(1, i, "work", { spanId: `w${i}`, startNs: clock, endNs: clock + BigInt(i) * 1_000_000n }),
        );
      }
      await current().store.ingest(spans);
      expect(await queries().stepDurationsOf("agent")).toEqual([{ name: "work", count: 20, p95_ms: 19 }]);
      expect(await queries().stepDurationsOf("other")).toEqual([]);
    });
  });

  describe("open attempts", () => {
    it("reads a declared heartbeat interval only when it is a number", async () => {
      const running = { status: "running" as const, endNs: null, pending: true };
      await current().store.ingest([
        span(1, "run", "agent", { ...running, attributes: '{"flightrec.heartbeat.interval_ms":250}' }),
      ]);
      expect(await queries().openAttemptsSince("2000-01-01T00:00:00.000Z")).toMatchObject([
        { run_id: "run-1", interval_ms: 250 },
      ]);
      await current().store.ingest([
        span(2, "run", "agent", { ...running, attributes: '{"flightrec.heartbeat.interval_ms":true}' }),
      ]);
      expect(await queries().openAttemptsSince("2000-01-01T00:00:00.000Z")).toMatchObject([
        { run_id: "run-1", attempt: 2, interval_ms: null },
      ]);
    });
  });
});
