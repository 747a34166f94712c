export { flightrecErrorFunction, type ToolErrorHandler } from "./tool-errors.js";
export { type FlightrecTracingProcessorOptions, flightrecTracingProcessor } from "./tracing-processor.js";
