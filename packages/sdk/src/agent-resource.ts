import { hostname } from "node:os";
import {
  defaultResource,
  detectResources,
  envDetector,
  type Resource,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { TRACER_NAME, TRACER_VERSION } from "./tracer.js";

/**
 * The resource of an agent's spans: what the dashboard's compare shows as the run's environment
 * ("it worked on my laptop"). OpenTelemetry's own SDK attributes, OTEL_RESOURCE_ATTRIBUTES, then
 * ours: the service, this SDK's version, the Node.js version, the host and platform. All read
 * synchronously (no detector that reads files later); nothing from the command line, which may
 * carry secrets.
 */
export function agentResource(serviceName: string): Resource {
  return defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(
      resourceFromAttributes({
        "service.name": serviceName,
        "telemetry.distro.name": TRACER_NAME,
        "telemetry.distro.version": TRACER_VERSION,
        "process.runtime.name": "nodejs",
        "process.runtime.version": process.versions.node,
        "host.name": hostname(),
        "host.arch": process.arch,
        "os.type": process.platform,
      }),
    );
}
