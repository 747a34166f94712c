/**
 * What Flightrec's framework bridges (`@flightrec/openai-agents`, …) build on: the SDK's own
 * tracer, capture, error and LLM-usage helpers, so a bridge writes spans exactly as `run()`,
 * `step()`, `llm()` and `tool()` do instead of keeping a copy of that code. For bridges, not for
 * agents: it follows the SDK's version, with no promise beyond it.
 */
export { preciseTime } from "./clock.js";
export { recordFailureInput } from "./failure.js";
export { outputMessages } from "./llm.js";
export { type LlmFacts, parseLlmResponse } from "./llm-parsers.js";
export { captureJson, captureText, redactJsonText } from "./redact.js";
export { emptyUsage, type RunState, type StepState } from "./run-context.js";
export { addRunAttributes, runAttributes } from "./span-attributes.js";
export { getTracer } from "./tracer.js";
export { recordLlmFacts } from "./usage.js";
export { recordError, safely } from "./with-span.js";
