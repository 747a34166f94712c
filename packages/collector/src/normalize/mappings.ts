import * as C from "@flightrec/sdk/conventions";
import type { SpanKindName } from "../domain.js";
import { type Attributes, pickJsonValue, pickNumber, pickString } from "./pick.js";

/**
 * How each instrumentation names what Flightrec stores. One table per field: keys are tried in
 * order, first present wins, so our own and the current OpenTelemetry GenAI names come first and
 * older or tool-specific names after. Sources: `flightrec` (ours), `genai` (OTel GenAI, current),
 * `genai-deprecated`, `openinference` (Arize Phoenix), `vercel` (AI SDK `ai.*` spans of v5/v6; its
 * v7 emits `genai`), `traceloop` (OpenLLMetry), `mastra` (`@mastra/otel-exporter` 0.3),
 * `langchain` / `langgraph` (LangChain.js and LangGraph.js through OpenInference's LangChain
 * instrumentation, which adds their run metadata as the JSON attribute `metadata`; `attr#field`
 * keys read a field of it, see pick.ts).
 */
export const FIELD_KEYS = {
  model: [
    C.GEN_AI_RESPONSE_MODEL, // genai
    C.GEN_AI_REQUEST_MODEL, // genai
    "llm.response.model_name", // openinference
    "llm.model_name", // openinference
    "llm.request.model_name", // openinference
    "embedding.model_name", // openinference
    "ai.response.model", // vercel
    "ai.model.id", // vercel
    "metadata#ls_model_name", // langchain
  ],
  provider: [
    C.GEN_AI_PROVIDER_NAME, // genai
    "gen_ai.system", // genai-deprecated, traceloop, vercel
    "llm.provider", // openinference
    "llm.system", // openinference
    "ai.model.provider", // vercel
    "metadata#ls_provider", // langchain: OpenInference names no provider for LangChain chat models
  ],
  inputTokens: [
    C.GEN_AI_USAGE_INPUT_TOKENS, // genai
    "gen_ai.usage.prompt_tokens", // genai-deprecated, traceloop
    "llm.token_count.prompt", // openinference
    "ai.usage.inputTokens", // vercel v5/v6
    "ai.usage.promptTokens", // vercel v4
  ],
  outputTokens: [
    C.GEN_AI_USAGE_OUTPUT_TOKENS, // genai
    "gen_ai.usage.completion_tokens", // genai-deprecated, traceloop
    "llm.token_count.completion", // openinference
    "ai.usage.outputTokens", // vercel v5/v6
    "ai.usage.completionTokens", // vercel v4
  ],
  cacheReadTokens: [
    C.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, // genai
    "gen_ai.usage.cache_read_input_tokens", // traceloop
    "llm.token_count.prompt_details.cache_read", // openinference
    "ai.usage.inputTokenDetails.cacheReadTokens", // vercel v6
    "ai.usage.cachedInputTokens", // vercel v5
    "gen_ai.usage.cached_input_tokens", // mastra
  ],
  reasoningTokens: [
    C.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, // genai
    "gen_ai.usage.reasoning_tokens", // traceloop, mastra
    "llm.token_count.completion_details.reasoning", // openinference
    "ai.usage.outputTokenDetails.reasoningTokens", // vercel v6
    "ai.usage.reasoningTokens", // vercel v5
  ],
  costUsd: [
    C.ATTR_COST_USD, // flightrec
    "llm.cost.total", // openinference
  ],
  requestId: [
    C.ATTR_REQUEST_ID, // flightrec
    "session.id", // openinference: the session the agent serves
    C.GEN_AI_CONVERSATION_ID, // genai
  ],
  runName: [
    C.GEN_AI_AGENT_NAME, // genai
    "gen_ai.agent.id", // mastra: the agent's id, its name unless given one
    "traceloop.workflow.name", // traceloop
    "ai.telemetry.functionId", // vercel
  ],
  /** What the replay calls a span, when its own name is generic; else the span's name. */
  name: [
    "ai.toolCall.name", // vercel v4–v6: every tool span is named "ai.toolCall"
    "traceloop.entity.name", // traceloop: spans are named "<name>.<kind>" ("weather.tool")
  ],
  /** Kept in the stored attributes under our name, which the dashboard and SQL read. */
  timeToFirstTokenMs: [
    C.ATTR_LLM_TIME_TO_FIRST_TOKEN_MS, // flightrec
    "ai.response.msToFirstChunk", // vercel (streamed calls)
  ],
  /**
   * Run names a framework puts on every span of the run, so the run is named even when its own
   * span never arrives (Traceloop does not end a workflow whose function throws).
   */
  runNameOnEverySpan: [
    "traceloop.workflow.name", // traceloop
    "ai.telemetry.functionId", // vercel
  ],
  toolName: [
    C.GEN_AI_TOOL_NAME, // genai
    "tool.name", // openinference
    "ai.toolCall.name", // vercel
    "traceloop.entity.name", // traceloop (tool spans)
  ],
  /**
   * Not `flightrec.run.input`: it is the input of the run span alone. On a failing call or step
   * the SDK adds it as the failure's context, and there it is not that span's input.
   */
  input: [
    C.ATTR_STEP_INPUT, // flightrec
    C.GEN_AI_INPUT_MESSAGES, // genai
    C.GEN_AI_TOOL_CALL_ARGUMENTS, // genai
    "gen_ai.tool.input", // mastra
  ],
  /** Whole request and response payloads: read after the indexed message lists, which hold the conversation itself. */
  inputPayload: [
    "input.value", // openinference
    "ai.prompt.messages", // vercel (model calls)
    "ai.toolCall.args", // vercel v4/v5
    "ai.toolCall.input", // vercel v6
    "ai.prompt", // vercel (outer calls)
    "traceloop.entity.input", // traceloop
    "input", // mastra (any span)
  ],
  output: [
    C.ATTR_STEP_OUTPUT, // flightrec
    C.ATTR_RUN_OUTPUT, // flightrec
    C.GEN_AI_OUTPUT_MESSAGES, // genai
    C.GEN_AI_TOOL_CALL_RESULT, // genai
    "gen_ai.tool.output", // mastra
  ],
  outputPayload: [
    "output.value#output.kwargs.content", // langchain: a tool's result, inside the ToolMessage it returns
    "output.value", // openinference
    "ai.response.text", // vercel
    "ai.response.toolCalls", // vercel
    "ai.response.object", // vercel
    "ai.toolCall.result", // vercel v4/v5
    "ai.toolCall.output", // vercel v6
    "traceloop.entity.output", // traceloop
    "output", // mastra (any span)
  ],
} as const satisfies Record<string, readonly string[]>;

/** Indexed, flattened message lists some sources emit (`gen_ai.prompt.0.role`, …), assembled into arrays. */
export const INDEXED_MESSAGES = {
  input: ["gen_ai.prompt", "llm.input_messages"], // traceloop, openinference
  output: ["gen_ai.completion", "llm.output_messages"], // traceloop, openinference
} as const;

/**
 * Conversations sent whole as one JSON attribute (Mastra: `{ messages }` in, `{ text, toolCalls }`
 * out), read after the indexed lists: the same key with `.N.` after it is the indexed form.
 */
export const WHOLE_MESSAGES = {
  input: ["gen_ai.prompt"], // mastra
  output: ["gen_ai.completion"], // mastra
} as const;

/**
 * Where a step span's 1-based index comes from when no attribute carries it: its name, counted
 * from `base`. Vercel v7 names them "step 1", "step 2"; Mastra "step: 0", "step: 1".
 */
export const STEP_NAME_INDEX: readonly { pattern: RegExp; base: 0 | 1 }[] = [
  { pattern: /^step (\d+)$/, base: 1 }, // vercel v7
  { pattern: /^step: (\d+)$/, base: 0 }, // mastra
];

/** What a model call decided: the tools it asked for, else why it stopped. */
export interface ModelDecision {
  toolNames: string[];
  finishReason: string | null;
}

/** Where a span comes from, beyond its attributes. */
export interface SpanOrigin {
  /** The name of the instrumentation scope that made it. */
  scope: string;
  hasParent: boolean;
}

interface StepOpeningCall {
  source: string;
  /** A model call that opens a step. */
  opens(attrs: Attributes, origin: SpanOrigin): boolean;
  /** A tool call that joins the step of the model call before it. */
  joins(attrs: Attributes): boolean;
  decided(attrs: Attributes): ModelDecision;
}

/**
 * Model calls that are one iteration of a framework's agent loop: each opens a step the
 * collector derives (normalize/opened-step.ts), so that the loop's iterations count as steps.
 */
export const STEP_OPENING_CALLS: readonly StepOpeningCall[] = [
  {
    source: "vercel", // v4–v6 call the model once per step of generateText/streamText (v7 sends its steps)
    opens: (a) =>
      /^ai\.(generateText|streamText)\.do(Generate|Stream)$/.test(pickString(a, "ai.operationId") ?? ""),
    joins: (a) => pickString(a, "ai.operationId") === "ai.toolCall",
    decided: (a) => ({
      toolNames: namesIn(pickString(a, "ai.response.toolCalls"), "toolName"),
      finishReason: pickString(a, "ai.response.finishReason"),
    }),
  },
  {
    // OTel GenAI: the openai client's instrumentation inside an agent's span (`invoke_agent`),
    // with the agent's tools as `execute_tool` spans beside its chat calls. The agent's span
    // ends, and arrives, last, so a chat call cannot see it is an agent's: every chat call made
    // inside another span counts as a turn.
    source: "genai",
    opens: (a, origin) =>
      origin.hasParent &&
      origin.scope === "@opentelemetry/instrumentation-openai" &&
      pickString(a, C.GEN_AI_OPERATION_NAME) === C.GEN_AI_OPERATION.chat,
    joins: (a) => pickString(a, C.GEN_AI_OPERATION_NAME) === C.GEN_AI_OPERATION.executeTool,
    decided: genaiDecision,
  },
];

/** What a GenAI chat call decided: the tools its output messages call, and its finish reason. */
function genaiDecision(attrs: Attributes): ModelDecision {
  return {
    toolNames: toolCallNames(pickJsonValue(attrs, C.GEN_AI_OUTPUT_MESSAGES)),
    finishReason: firstOf(attrs[C.GEN_AI_RESPONSE_FINISH_REASONS]),
  };
}

/** The rule under which a model call opens a step, if one does. */
export function stepOpeningCall(attrs: Attributes, origin: SpanOrigin): StepOpeningCall | null {
  return STEP_OPENING_CALLS.find((rule) => rule.opens(attrs, origin)) ?? null;
}

/** The tools the GenAI output messages call (`parts` of type `tool_call`). */
function toolCallNames(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return namesOf(
    messages.flatMap((m) => ((m as { parts?: unknown } | null)?.parts as unknown[] | undefined) ?? []),
    "name",
  );
}

/** A string, or the first string of a list (OTLP array attributes). */
function firstOf(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first !== "" ? first : null;
}

/** Does this tool call join the step of the model call before it? */
export function joinsTurn(attrs: Attributes): boolean {
  return STEP_OPENING_CALLS.some((rule) => rule.joins(attrs));
}

/**
 * Steps a source names only by their number (Mastra's "step: 0"): named instead by what their
 * model call decided, as opened steps are (normalize/opened-step.ts). Their index still comes
 * from the name they were sent with (STEP_NAME_INDEX).
 */
export const NUMBERED_STEP_DECISIONS: readonly {
  source: string;
  decided(attrs: Attributes): ModelDecision | null;
}[] = [
  {
    source: "mastra", // the step's output: { text, toolCalls: [{ toolName, … }] }; no finish reason
    decided: (a) => {
      if (pickString(a, "mastra.span.type") !== "model_step") return null;
      const output = pickJsonValue(a, "output") as { text?: unknown; toolCalls?: unknown } | undefined;
      const toolNames = namesOf(output?.toolCalls, "toolName");
      const answered = toolNames.length === 0 && typeof output?.text === "string" && output.text !== "";
      return { toolNames, finishReason: answered ? "stop" : null };
    },
  },
];

/** What a numbered step's model call decided, when its source says. */
export function numberedStepDecision(attrs: Attributes): ModelDecision | null {
  for (const rule of NUMBERED_STEP_DECISIONS) {
    const decided = rule.decided(attrs);
    if (decided) return decided;
  }
  return null;
}

interface StepNamedByItsCall {
  source: string;
  /** A step the source names only by its number, whose model call is a span inside it. */
  step(attrs: Attributes, spanName: string): boolean;
  /** What a model call inside such a step decided; null when the span is no such call. */
  decided(attrs: Attributes): ModelDecision | null;
}

/**
 * Steps a source sends with a number for a name ("step 2") and nothing of what the model decided,
 * which is on the model call inside the step: the collector marks both (normalize-span.ts) and the
 * store names the step by its call's decision, whichever of the two arrives first, as opened
 * steps are named (normalize/opened-step.ts). Their index still comes from their name
 * (STEP_NAME_INDEX).
 */
export const STEPS_NAMED_BY_THEIR_CALL: readonly StepNamedByItsCall[] = [
  {
    source: "vercel", // v7 (@ai-sdk/otel): a "step N" span (agent_step) holds the step's `chat` span
    step: (a, name) => pickString(a, C.GEN_AI_OPERATION_NAME) === "agent_step" && /^step \d+$/.test(name),
    // Our SDK's chat calls are inside steps it names itself.
    decided: (a) =>
      pickString(a, C.GEN_AI_OPERATION_NAME) === C.GEN_AI_OPERATION.chat && a[C.ATTR_SPAN_KIND] === undefined
        ? genaiDecision(a)
        : null,
  },
];

/** Is this a step named by what its model call decided (STEPS_NAMED_BY_THEIR_CALL)? */
export function isStepNamedByItsCall(attrs: Attributes, spanName: string): boolean {
  return STEPS_NAMED_BY_THEIR_CALL.some((rule) => rule.step(attrs, spanName));
}

/** What a model call decided, when it may be the call of a step named by it. */
export function stepCallDecision(attrs: Attributes): ModelDecision | null {
  for (const rule of STEPS_NAMED_BY_THEIR_CALL) {
    const decided = rule.decided(attrs);
    if (decided) return decided;
  }
  return null;
}

/** The distinct `key` values of a JSON array of objects; none when it is not one. */
function namesIn(json: string | null, key: string): string[] {
  if (!json) return [];
  try {
    return namesOf(JSON.parse(json), key);
  } catch {
    return [];
  }
}

function namesOf(list: unknown, key: string): string[] {
  if (!Array.isArray(list)) return [];
  const names = list.map((item) => (item as Record<string, unknown> | null)?.[key]);
  return [...new Set(names.filter((n): n is string => typeof n === "string" && n !== ""))];
}

/**
 * LangGraph.js: every span of a graph's run carries its super-step (`langgraph_step`) and the
 * node it runs in (`langgraph_node`); the graph itself is the chain that has neither, and its
 * name is the run's (`runName`, else `LangGraph`). A subgraph's spans carry its own step count,
 * and their checkpoint namespace nests the parent node's (`outer:<id>|inner:<id>`).
 */
export const LANGGRAPH = {
  integration: "metadata#ls_integration",
  node: "metadata#langgraph_node",
  step: "metadata#langgraph_step",
  namespace: "metadata#langgraph_checkpoint_ns",
} as const;

/** Nodes LangGraph runs for itself (`__start__`, `__end__`, …): plumbing, not steps. */
const LANGGRAPH_INTERNAL_NODE = /^__/;

/** A span of the graph the run is, not of a subgraph inside one of its nodes. */
function inOutermostGraph(attrs: Attributes): boolean {
  return !(pickString(attrs, LANGGRAPH.namespace) ?? "").includes("|");
}

interface StepIndexRule {
  source: string;
  /** The step the span is in, as its source numbers them; null when the span does not say. */
  index(attrs: Attributes): number | null;
}

/**
 * Step numbers a source declares beside flightrec.step.index (read first, and validated, by
 * normalize-span). They go on every span of the step, as our SDK puts them, so failures and
 * decisions inside a step are placed at it.
 */
export const STEP_INDEX_RULES: readonly StepIndexRule[] = [
  {
    source: "langgraph",
    index: (a) => (inOutermostGraph(a) ? pickNumber(a, LANGGRAPH.step) : null),
  },
];

interface KindRule {
  source: string;
  kind(attrs: Attributes, spanName: string): SpanKindName | null;
}

const GENAI_OPERATION_KINDS: Record<string, SpanKindName> = {
  [C.GEN_AI_OPERATION.invokeAgent]: "run",
  create_agent: "run",
  [C.GEN_AI_OPERATION.executeTool]: "tool",
  agent_step: "step", // vercel v7 (@ai-sdk/otel), spans named "step N"
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  embeddings: "llm",
};

const OPENINFERENCE_KINDS: Record<string, SpanKindName> = {
  AGENT: "run",
  LLM: "llm",
  EMBEDDING: "llm",
  TOOL: "tool",
};
const TRACELOOP_KINDS: Record<string, SpanKindName> = { workflow: "run", task: "step", tool: "tool" };
/** A chunk of a streamed answer is plumbing of its step; one generation spans all steps of an agent loop. */
const MASTRA_KINDS: Record<string, SpanKindName> = {
  agent_run: "run",
  model_generation: "llm",
  model_step: "step",
  model_chunk: "other",
  tool_call: "tool",
  mcp_tool_call: "tool", // exported exactly as tool_call
};

/**
 * Vercel's outer calls: the agent loop a user started (named by `ai.telemetry.functionId`). They
 * carry the sum of their model calls' usage, so only the inner `do*` calls count as LLM calls.
 */
const VERCEL_RUN_OPERATIONS = /^ai\.(generateText|streamText|generateObject|streamObject)$/;

/** Which kind a span is, first rule that answers wins. */
export const KIND_RULES: readonly KindRule[] = [
  {
    source: "flightrec",
    kind: (a) => {
      const declared = pickString(a, C.ATTR_SPAN_KIND);
      return declared === "run" || declared === "step" || declared === "llm" || declared === "tool"
        ? declared
        : null;
    },
  },
  {
    source: "vercel",
    kind: (a) => {
      const op = pickString(a, "ai.operationId");
      if (!op) return null;
      if (/\.do(Generate|Stream|Embed)$/.test(op)) return "llm";
      if (VERCEL_RUN_OPERATIONS.test(op)) return "run";
      return op === "ai.toolCall" ? "tool" : "other";
    },
  },
  {
    source: "mastra",
    kind: (a) => MASTRA_KINDS[pickString(a, "mastra.span.type") ?? ""] ?? null,
  },
  {
    source: "langgraph",
    kind: (a, name) => {
      if (pickString(a, "openinference.span.kind") !== "CHAIN") return null;
      const node = pickString(a, LANGGRAPH.node);
      if (node === null) return pickString(a, LANGGRAPH.integration) === "langgraph" ? "run" : null;
      // Other chains in a node (prompt templates, sequences, lambdas, the edges' routing) are plumbing.
      return node === name && !LANGGRAPH_INTERNAL_NODE.test(node) && inOutermostGraph(a) ? "step" : "other";
    },
  },
  {
    source: "genai",
    kind: (a) => GENAI_OPERATION_KINDS[pickString(a, C.GEN_AI_OPERATION_NAME) ?? ""] ?? null,
  },
  {
    source: "openinference",
    kind: (a) => OPENINFERENCE_KINDS[pickString(a, "openinference.span.kind") ?? ""] ?? null,
  },
  {
    source: "traceloop",
    kind: (a) =>
      pickString(a, "llm.request.type")
        ? "llm"
        : (TRACELOOP_KINDS[pickString(a, "traceloop.span.kind") ?? ""] ?? null),
  },
];

export function spanKindOf(attrs: Attributes, spanName: string): SpanKindName {
  for (const rule of KIND_RULES) {
    const kind = rule.kind(attrs, spanName);
    if (kind) return kind;
  }
  return "other";
}

/**
 * GenAI content events, sent as log records beside the LLM span (genai: as
 * `@opentelemetry/instrumentation-openai` emits them): which side of the call's conversation each
 * is, and the role of its message.
 */
export const GENAI_CONTENT_EVENTS: Readonly<Record<string, { part: "input" | "output"; role: string }>> = {
  "gen_ai.system.message": { part: "input", role: "system" },
  "gen_ai.user.message": { part: "input", role: "user" },
  "gen_ai.assistant.message": { part: "input", role: "assistant" },
  "gen_ai.tool.message": { part: "input", role: "tool" },
  "gen_ai.choice": { part: "output", role: "assistant" },
};

/**
 * GenAI events that carry whole message lists in attributes (genai: the Responses API as
 * `@opentelemetry/instrumentation-openai` emits it), already in the `{ role, parts }` shape.
 */
export const GENAI_MESSAGE_LIST_EVENTS: Readonly<Record<string, { input: string; output: string }>> = {
  "gen_ai.client.inference.operation.details": {
    input: "gen_ai.input.messages",
    output: "gen_ai.output.messages",
  },
};
