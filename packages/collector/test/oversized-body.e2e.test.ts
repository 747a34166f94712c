import { logs } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { type OtlpSignal, SIGNALS } from "./otlp-signals.js";
import { rawRequest, statusOf, uploadHead } from "./raw-http.js";

/** Far past the default 16 MiB limit, and past what @hono/node-server drains before it closes a socket. */
const OVERSIZED = 80 * 1024 * 1024;

/**
 * Sends headers and `size` bytes on a raw connection and resolves with what the server answered
 * and how the send ended: a collector that stops reading and closes resets the connection, and
 * the write fails (EPIPE, ECONNRESET) instead of completing.
 */
async function postBytes(
  url: string,
  path: string,
  size: number,
  chunked: boolean,
): Promise<{ answer: string; sendError: string | null }> {
  const close = "\r\nConnection: close\r\n\r\n";
  const head = chunked
    ? uploadHead(url, 0, path).replace("Content-Length: 0\r\n\r\n", `Transfer-Encoding: chunked${close}`)
    : uploadHead(url, size, path).replace("\r\n\r\n", close);
  const body = Buffer.alloc(size, 0x20);
  const framed = chunked
    ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")])
    : body;
  const connection = await rawRequest(url, head);
  const sendError = await new Promise<string | null>((resolve) =>
    connection.socket.write(framed, (error) =>
      resolve(error ? ((error as NodeJS.ErrnoException).code ?? error.message) : null),
    ),
  );
  return { answer: await connection.closed, sendError };
}

/** Exports one huge span or log record with the signal's real OTLP/HTTP exporter. */
async function exportHuge(url: string, signal: OtlpSignal): Promise<{ code: number; error?: Error }> {
  const pad = "x".repeat(OVERSIZED);
  if (signal.name === "traces") {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    provider.getTracer("test").startSpan("huge", { attributes: { pad } }).end();
    const exporter = new OTLPTraceExporter({ url: `${url}${signal.path}` });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    await exporter.shutdown();
    return result;
  }
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  provider.getLogger("test").emit({ body: "huge", attributes: { pad } });
  const exporter = new OTLPLogExporter({ url: `${url}${signal.path}` });
  const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
    exporter.export(memory.getFinishedLogRecords(), resolve),
  );
  await exporter.shutdown();
  logs.disable();
  return result;
}

describe.each(SIGNALS)("a body over the size limit on $path", (signal) => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each([
    ["declares its length", false],
    ["is sent in chunks", true],
  ])(
    "that %s gets a 413 the client can read, on a connection not reset while the body is sent",
    async (_how, chunked) => {
      const { answer, sendError } = await postBytes(collector.server.url, signal.path, OVERSIZED, chunked);
      expect(sendError).toBeNull();
      expect(statusOf(answer)).toBe(413);
      expect(answer).toMatch(/larger than the limit of 16777216 bytes/);
      expect(collector.query(signal.snapshotSql)).toEqual([]);
    },
  );

  it("makes the OpenTelemetry exporter fail with 413, which it does not retry", async () => {
    const result = await exportHuge(collector.server.url, signal);
    expect(result.code).toBe(1); // ExportResultCode.FAILED
    expect(result.error).toMatchObject({ code: 413, data: expect.stringMatching(/larger than the limit/) });
  });
});
