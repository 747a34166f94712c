import type { Attributes } from "./pick.js";

/**
 * Resource attributes that may carry secrets: a process's command line (`--token=…`, a connection
 * string) and the environment variables some detectors copy (`process.environment_variable.*`).
 * OpenTelemetry's process detector sends the command line; the SDK's redaction never sees the
 * resource, so the store does not keep them.
 */
const SECRET_BEARING = /^process\.(command|command_args|command_line|environment_variable\..*)$/;

/** The resource as the store keeps it on a run span (its attempt's environment), as JSON text. */
export function storedResource(resource: Attributes): string {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(resource)) {
    if (!SECRET_BEARING.test(key)) kept[key] = value;
  }
  return JSON.stringify(kept);
}
