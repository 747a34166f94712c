import { describe, expect, it } from "vitest";
import { foldPlumbing } from "./plumbing";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

// A LangGraph run as OpenInference sends it: chains around the model and tool calls.
const langGraphRun = buildSpanTree([
  span({ span_id: "graph", kind: "other", name: "LangGraph", started_at: at(0), duration_ms: 100 }),
  span({ span_id: "agent", kind: "step", parent_span_id: "graph", started_at: at(1) }),
  span({
    span_id: "seq",
    kind: "other",
    name: "RunnableSequence",
    parent_span_id: "agent",
    started_at: at(2),
  }),
  span({
    span_id: "prompt",
    kind: "other",
    name: "ChatPromptTemplate",
    parent_span_id: "seq",
    started_at: at(3),
  }),
  span({ span_id: "chat", kind: "llm", name: "ChatOpenAI", parent_span_id: "seq", started_at: at(4) }),
  span({
    span_id: "route",
    kind: "other",
    name: "shouldContinue",
    parent_span_id: "graph",
    started_at: at(20),
  }),
  span({ span_id: "tools", kind: "step", parent_span_id: "graph", started_at: at(30) }),
  span({ span_id: "weather", kind: "tool", parent_span_id: "tools", started_at: at(31) }),
]);

const frames = (view: ReturnType<typeof foldPlumbing>) =>
  view.tree.nodes.map((n) => [n.span.span_id, n.depth, n.index, n.childCount]);

describe("foldPlumbing", () => {
  it("hides plumbing under the frame it belongs to, re-indenting what it wrapped", () => {
    const view = foldPlumbing(langGraphRun, false);
    expect(frames(view)).toEqual([
      ["graph", 0, 0, 2],
      ["agent", 1, 1, 1],
      ["chat", 2, 2, 0],
      ["tools", 1, 3, 1],
      ["weather", 2, 4, 0],
    ]);
    expect(view.plumbing).toBe(3);
    expect(view.folded.get("agent")?.map((s) => s.name)).toEqual(["RunnableSequence", "ChatPromptTemplate"]);
    expect(view.folded.get("graph")?.map((s) => s.name)).toEqual(["shouldContinue"]);
  });

  it("sends a link to a hidden span to the frame that holds it", () => {
    const view = foldPlumbing(langGraphRun, false);
    expect(view.tree.byId.get("prompt")?.span.span_id).toBe("agent");
    expect(view.tree.byId.get("chat")?.index).toBe(2);
  });

  it("shows every span on demand, counting the plumbing all the same", () => {
    const view = foldPlumbing(langGraphRun, true);
    expect(view.tree).toBe(langGraphRun);
    expect(view.plumbing).toBe(3);
    expect(view.folded.size).toBe(0);
  });

  it("keeps a root of any kind as a frame, so a run of plumbing alone still has one", () => {
    const onlyPlumbing = buildSpanTree([
      span({ span_id: "a", kind: "other" }),
      span({ span_id: "b", kind: "other", parent_span_id: "a" }),
    ]);
    const view = foldPlumbing(onlyPlumbing, false);
    expect(frames(view)).toEqual([["a", 0, 0, 0]]);
    expect(view.plumbing).toBe(1);
  });

  it("keeps as frames the open node a run is in and the one it was killed in, which a framework names only at their end", () => {
    const killed = buildSpanTree([
      span({ span_id: "run", kind: "run", name: "invoke_agent sales", started_at: at(0), duration_ms: 100 }),
      span({ span_id: "start", kind: "other", name: "__start__", parent_span_id: "run", started_at: at(1) }),
      span({ span_id: "fetch", kind: "step", name: "fetch_data", parent_span_id: "run", started_at: at(2) }),
      span({
        span_id: "send",
        kind: "other",
        name: "send_email",
        parent_span_id: "run",
        started_at: at(50),
        status: "error",
        error: "interrupted: no heartbeat since 2026-01-01T00:00:00.060Z",
      }),
      span({
        span_id: "open",
        kind: "other",
        name: "write_report",
        parent_span_id: "run",
        started_at: at(60),
        status: "running",
        duration_ms: null,
      }),
    ]);
    const view = foldPlumbing(killed, false);
    expect(view.tree.nodes.map((n) => n.span.name)).toEqual([
      "invoke_agent sales",
      "fetch_data",
      "send_email",
      "write_report",
    ]);
    expect(view.plumbing).toBe(1);
  });
});
