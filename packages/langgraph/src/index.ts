export { FlightrecCheckpointError } from "./collector-client.js";
export { FlightrecSaver, type FlightrecSaverOptions } from "./flightrec-saver.js";
export {
  type Durability,
  type Invocable,
  invokeAsRun,
  type ThreadConfig,
  type ThreadRunOptions,
} from "./thread-run.js";
