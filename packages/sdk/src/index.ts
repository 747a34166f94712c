export { DEFAULT_ENDPOINT, resolveEndpoint } from "./config.js";
export { type Decision, decide } from "./decide.js";
export type { DurabilityOptions } from "./durability/config.js";
export type { Deadline } from "./durability/deadline.js";
export {
  DurableSpanProcessor,
  type DurableSpanProcessorOptions,
} from "./durability/durable-span-processor.js";
export {
  CheckpointError,
  CheckpointMismatchError,
  DeadlineExceededError,
  ResumeError,
} from "./durability/errors.js";
export type { DurableRunOptions } from "./durability/run-durability.js";
export { recordStepInput } from "./durability/step-input.js";
export type { DeliveryStats } from "./fail-open.js";
export {
  deliveryStats,
  type FlightrecSpanProcessorOptions,
  flightrecSpanProcessor,
  flush,
  type InitOptions,
  init,
  shutdown,
} from "./init.js";
export { type LlmOptions, llm } from "./llm.js";
export { type LlmFacts, LlmStreamAccumulator, parseLlmResponse } from "./llm-parsers.js";
export { PreflightError, type PreflightOptions, preflight } from "./preflight.js";
export {
  type ModelPriceOverride,
  type PriceOverrides,
  type PriceResult,
  priceUsage,
  type TokenUsage,
} from "./pricing.js";
export { REDACTED } from "./redact.js";
export { type RunOptions, run } from "./run.js";
export { currentRun } from "./run-context.js";
export { step } from "./step.js";
export { type ToolContext, type ToolOptions, ToolTimeoutError, tool } from "./tool.js";
export { wrapAnthropic } from "./wrap-anthropic.js";
export { wrapOpenAI } from "./wrap-openai.js";
