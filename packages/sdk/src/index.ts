export { DEFAULT_ENDPOINT, resolveEndpoint } from "./config.js";
export { flightrecSpanProcessor, flush, type InitOptions, init, shutdown } from "./init.js";
export { type RunOptions, run } from "./run.js";
export { currentRun } from "./run-context.js";
export { step } from "./step.js";
