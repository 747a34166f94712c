export { FlightrecCheckpointError } from "./collector-client.js";
export { FlightrecSaver, type FlightrecSaverOptions } from "./flightrec-saver.js";
export { type Invocable, invokeAsRun, type ThreadRunOptions } from "./thread-run.js";
