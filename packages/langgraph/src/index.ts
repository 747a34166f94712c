export { FlightrecCheckpointError } from "./collector-client.js";
export { FlightrecSaver, type FlightrecSaverOptions } from "./flightrec-saver.js";
