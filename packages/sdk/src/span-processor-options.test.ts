import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";
import { flightrecSpanProcessor, type InitOptions, init, shutdown } from "./init.js";

describe("flightrecSpanProcessor() options", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says that serviceName is the provider's, not the processor's, instead of ignoring it silently", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const options: InitOptions = { serviceName: "vercel-trial", exporter: new InMemorySpanExporter() };
    const processor = flightrecSpanProcessor({ ...options, handleProcessEvents: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /ignores serviceName.*NodeSDK \(\{ serviceName \}\).*OTEL_SERVICE_NAME/,
    );
    await processor.shutdown();
  });

  it("says nothing without it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const processor = flightrecSpanProcessor({
      exporter: new InMemorySpanExporter(),
      handleProcessEvents: false,
    });
    expect(warn).not.toHaveBeenCalled();
    await processor.shutdown();
  });

  it("is not what init({ serviceName }) warns about: there the name is the resource's", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    init({ serviceName: "my-agent", exporter: new InMemorySpanExporter(), handleProcessEvents: false });
    await shutdown();
    expect(warn).not.toHaveBeenCalled();
  });

  it("has no serviceName in its type", () => {
    // @ts-expect-error the service name is the provider's resource
    const typed: Parameters<typeof flightrecSpanProcessor>[0] = { serviceName: "x" };
    expect(typed).toBeDefined();
  });
});
