/**
 * Attribute names Flightrec reads and writes. This module has no dependencies so the
 * collector can import it (`@flightrec/sdk/conventions`) without pulling in OpenTelemetry.
 *
 * GenAI names follow the OpenTelemetry GenAI semantic conventions; what they lack lives
 * under `flightrec.*`.
 */

export const ATTR_RUN_ID = "flightrec.run.id";
export const ATTR_RUN_ATTEMPT = "flightrec.run.attempt";
export const ATTR_RUN_INPUT = "flightrec.run.input";
export const ATTR_RUN_OUTPUT = "flightrec.run.output";
export const ATTR_REQUEST_ID = "flightrec.request.id";
export const ATTR_STEP_INDEX = "flightrec.step.index";
export const ATTR_STEP_NAME = "flightrec.step.name";
export const ATTR_STEP_INPUT = "flightrec.step.input";
export const ATTR_STEP_OUTPUT = "flightrec.step.output";
export const ATTR_STEP_REPLAYED = "flightrec.step.replayed";
/** True when redaction changed the step's output: its checkpoint is not replayed on resume. */
export const ATTR_STEP_OUTPUT_REDACTED = "flightrec.step.output_redacted";
export const ATTR_DECISION_ACTION = "flightrec.decision.action";
export const ATTR_DECISION_REASONING = "flightrec.decision.reasoning";
export const ATTR_COST_USD = "flightrec.cost.usd";
/** Set (true) when a call's model has no known price: its cost is left empty, never guessed. */
export const ATTR_COST_UNKNOWN_MODEL = "flightrec.cost.unknown_model";
/** Why a call that used tokens has no cost. */
export const ATTR_COST_UNPRICED_REASON = "flightrec.cost.unpriced_reason";
export const ATTR_FAILURE_INPUT = "flightrec.failure.input";
/** Time from an LLM call's start to its first streamed chunk, in ms. */
export const ATTR_LLM_TIME_TO_FIRST_TOKEN_MS = "flightrec.llm.time_to_first_token_ms";
/**
 * On a step the collector derives from a framework's model call (one iteration of its agent
 * loop): the span ID of that call. Tool calls that follow it under the same parent join the step.
 */
export const ATTR_STEP_OPENED_BY = "flightrec.step.opened_by";
/**
 * Set (true) by the collector on a step its source names only by number ("step 2") and whose
 * model call is a span inside it: the step is named by what that call decided.
 */
export const ATTR_STEP_NAMED_BY_CALL = "flightrec.step.named_by_call";
/** On such a model call, set by the collector: the name of the step its decision implies. */
export const ATTR_STEP_DECIDED = "flightrec.step.decided";
/** The model's reasoning (thinking) text, when the provider returns it. */
export const ATTR_LLM_REASONING = "flightrec.llm.reasoning";
/** Extra fields given to decide(), as JSON. */
export const ATTR_DECISION_DETAILS = "flightrec.decision.details";
/** Tool call timeout in ms, when one applied. */
export const ATTR_TOOL_TIMEOUT_MS = "flightrec.tool.timeout_ms";
/** The checks preflight() ran and what was missing, as JSON. */
export const ATTR_PREFLIGHT_MISSING = "flightrec.preflight.missing";
export const ATTR_SPAN_PENDING = "flightrec.span.pending";
/** What the span is in Flightrec's model: run | step | llm | tool. */
export const ATTR_SPAN_KIND = "flightrec.span.kind";

/** Name of the span event that records a decision. */
export const EVENT_DECISION = "flightrec.decision";

export const GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_AGENT_NAME = "gen_ai.agent.name";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const GEN_AI_RESPONSE_ID = "gen_ai.response.id";
export const GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
export const GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
export const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
export const GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
export const GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
export const GEN_AI_TOOL_NAME = "gen_ai.tool.name";
export const GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
export const GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";
export const GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";

export const GEN_AI_OPERATION = {
  invokeAgent: "invoke_agent",
  chat: "chat",
  executeTool: "execute_tool",
  generateContent: "generate_content",
} as const;

export type SpanKindName = "run" | "step" | "llm" | "tool" | "other";
export type RunStatus = "running" | "ok" | "error" | "interrupted";

/** On a run span (placeholder): how often the SDK re-sends it while the run is open, in ms. */
export const ATTR_HEARTBEAT_INTERVAL_MS = "flightrec.heartbeat.interval_ms";
/** On a placeholder: when the SDK sent it (epoch ms); the collector keeps its own receive time. */
export const ATTR_HEARTBEAT_AT = "flightrec.heartbeat.at";
/** On a run span: why it stopped before finishing (`SIGTERM`, `uncaught exception: …`, `deadline`). */
export const ATTR_RUN_INTERRUPTED = "flightrec.run.interrupted";
/**
 * On a run span stopped between steps (by its deadline): the index and name of the step it
 * stopped before, which is where a resumed run continues.
 */
export const ATTR_RUN_NEXT_STEP_INDEX = "flightrec.run.next_step.index";
export const ATTR_RUN_NEXT_STEP_NAME = "flightrec.run.next_step.name";
/** On a run span: indexes of steps whose checkpoint the collector did not acknowledge. */
export const ATTR_CHECKPOINT_MISSING = "flightrec.checkpoint.missing";

/**
 * `GET /api/runs/:runId/checkpoints` (docs/decisions/0002-query-api.md): what the collector answers
 * and what a resumed run reads. Defined here so both ends share one type.
 */
export interface CheckpointStep {
  index: number;
  name: string;
  spanId: string;
  attempt: number;
  output: unknown;
  /** Redaction changed the output (`flightrec.step.output_redacted`): resume runs the step again. */
  redacted: boolean;
}

export interface RunCheckpoints {
  runId: string;
  /** The newest attempt the collector knows. */
  attempt: number;
  /** The newest attempt's run span, for linking the next attempt to it. */
  traceId: string | null;
  spanId: string | null;
  steps: CheckpointStep[];
}
