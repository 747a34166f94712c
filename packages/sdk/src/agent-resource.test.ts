import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { agentResource } from "./agent-resource.js";
import { TRACER_VERSION } from "./tracer.js";

describe("agentResource", () => {
  const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
  afterEach(() => {
    if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
  });

  it("names the service, this SDK, the runtime and the host, beside OpenTelemetry's SDK attributes", () => {
    const attributes = agentResource("billing-agent").attributes;
    expect(attributes).toMatchObject({
      "service.name": "billing-agent",
      "telemetry.sdk.language": "nodejs",
      "telemetry.distro.name": "@flightrec/sdk",
      "telemetry.distro.version": TRACER_VERSION,
      "process.runtime.version": process.versions.node,
      "host.name": hostname(),
    });
    expect(Object.keys(attributes).some((key) => key.startsWith("process.command"))).toBe(false);
  });

  it("takes OTEL_RESOURCE_ATTRIBUTES, and keeps the service name it was given", () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES =
      "deployment.environment.name=prod,service.name=other,service.version=1.4.2";
    const attributes = agentResource("billing-agent").attributes;
    expect(attributes).toMatchObject({
      "deployment.environment.name": "prod",
      "service.version": "1.4.2",
      "service.name": "billing-agent",
    });
  });
});
