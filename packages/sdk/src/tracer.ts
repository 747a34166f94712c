import { type Tracer, trace } from "@opentelemetry/api";

export const TRACER_NAME = "@flightrec/sdk";
export const TRACER_VERSION = "0.1.0";

let ownTracer: Tracer | undefined;

/** Set by init(); otherwise spans go to whatever provider the app registered globally. */
export function setTracer(tracer: Tracer | undefined): void {
  ownTracer = tracer;
}

export function getTracer(): Tracer {
  return ownTracer ?? trace.getTracer(TRACER_NAME, TRACER_VERSION);
}
