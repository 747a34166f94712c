import { run } from "@flightrec/sdk";

/** How LangGraph writes checkpoints during a run (`durability` in its invoke config). */
export type Durability = "sync" | "async" | "exit";

/** The config invokeAsRun takes: LangGraph's, with the thread that is the run. */
export interface ThreadConfig {
  configurable: { thread_id: string } & Record<string, unknown>;
  durability?: Durability;
  [key: string]: unknown;
}

/** What invokeAsRun needs of a compiled graph. */
export interface Invocable<I, O> {
  invoke(input: I, config: ThreadConfig): Promise<O>;
}

export interface ThreadRunOptions {
  /** The run's name in Flightrec. Default "LangGraph". */
  name?: string;
  /** The run's input as recorded (the graph's input by default; nothing when it is null). */
  input?: unknown;
}

/**
 * Invokes the graph as the Flightrec run of its thread: the run ID is the `thread_id`, and each
 * invocation on the thread is the run's next attempt (the collector is asked which attempt
 * came last). The graph's own spans (OpenInference's LangChain instrumentation) join that run, its
 * nodes are the steps at their super-steps, and a killed invocation is judged interrupted at the
 * node it was in; `graph.invoke(null, config)` through this again continues it from its checkpoint.
 * Checkpoints are written before the next node starts (`durability: "sync"`) unless the config
 * says otherwise.
 */
export function invokeAsRun<I, O>(
  graph: Invocable<I, O>,
  input: I,
  config: ThreadConfig,
  options: ThreadRunOptions = {},
): Promise<O> {
  const threadId = config.configurable.thread_id;
  if (typeof threadId !== "string" || threadId === "") {
    throw new TypeError("invokeAsRun: config.configurable.thread_id must be a non-empty string (the run ID)");
  }
  const recorded = options.input ?? input ?? undefined;
  return run(
    options.name ?? "LangGraph",
    { runId: threadId, resume: true, ...(recorded === undefined ? {} : { input: recorded }) },
    // LangGraph's default ("async") writes a node's checkpoint while the next node already runs,
    // so a checkpoint the collector never acknowledged would fail the run only at its end, after
    // nodes with side effects ran on state that was never saved. "sync": the next node waits.
    () => graph.invoke(input, { durability: "sync", ...config }),
  );
}
