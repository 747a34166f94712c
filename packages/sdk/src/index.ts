export { DEFAULT_ENDPOINT, resolveEndpoint } from "./config.js";
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
export { flightrecSpanProcessor, flush, type InitOptions, init, shutdown } from "./init.js";
export { type RunOptions, run } from "./run.js";
export { currentRun } from "./run-context.js";
export { step } from "./step.js";
