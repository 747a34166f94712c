import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { OtlpHttpExporter } from "./otlp-http-exporter.js";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  socket: unknown;
}

let servers: Server[] = [];
let exporters: OtlpHttpExporter[] = [];

/** A real HTTP server on 127.0.0.1; `answer` decides each response from the request number. */
async function collector(answer: (n: number, res: ServerResponse, req: IncomingMessage) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body, socket: req.socket });
      answer(received.length, res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received };
}

function exporterFor(url: string, timeoutMs = 10_000) {
  const exporter = new OtlpHttpExporter({
    url,
    headers: { authorization: "Bearer t0ken" },
    timeoutMs,
    maxSockets: 2,
  });
  exporters.push(exporter);
  return exporter;
}

const tracer = new BasicTracerProvider().getTracer("exporter-test");
function spans(name = "send_email"): ReadableSpan[] {
  const span = tracer.startSpan(name, { attributes: { "flightrec.span.kind": "step" } });
  span.end();
  return [span as unknown as ReadableSpan];
}

const exportOnce = (exporter: OtlpHttpExporter, batch = spans()) =>
  new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
const ok = (res: ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end("{}");

afterEach(async () => {
  await Promise.all(exporters.map((e) => e.shutdown()));
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  exporters = [];
});

describe("OtlpHttpExporter", () => {
  it("POSTs OTLP/JSON with the configured headers", async () => {
    const { url, received } = await collector((_, res) => ok(res));
    const result = await exportOnce(exporterFor(url), spans("fetch_data"));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(received[0]?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer t0ken",
    });
    const body = JSON.parse(received[0]!.body);
    expect(body.resourceSpans[0].scopeSpans[0].spans[0].name).toBe("fetch_data");
  });

  it("fails at once with ECONNREFUSED when nothing listens, without trying again", async () => {
    const { url } = await collector((_, res) => ok(res));
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const result = await exportOnce(exporterFor(url, 600_000));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("asks an overloaded collector again after its Retry-After", async () => {
    const { url, received } = await collector((n, res) =>
      n === 1 ? res.writeHead(503, { "retry-after": "0" }).end() : ok(res),
    );
    const result = await exportOnce(exporterFor(url));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(received).toHaveLength(2);
  });

  it("does not ask again after a 400, and reports the status", async () => {
    const { url, received } = await collector((_, res) => res.writeHead(400).end("malformed"));
    const result = await exportOnce(exporterFor(url));
    expect(result).toMatchObject({ code: ExportResultCode.FAILED, error: { code: 400 } });
    expect(received).toHaveLength(1);
  });

  it("sends again on a new connection when a kept-alive one turns out closed", async () => {
    // The second request arrives on the first one's connection, which the server then drops
    // without answering, as a server does with an idle connection it just timed out.
    const { url, received } = await collector((n, res, req) => (n === 2 ? req.socket.destroy() : ok(res)));
    const exporter = exporterFor(url);
    expect((await exportOnce(exporter)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportOnce(exporter)).code).toBe(ExportResultCode.SUCCESS);
    expect(received).toHaveLength(3);
    expect(received[1]?.socket).toBe(received[0]?.socket);
    expect(received[2]?.socket).not.toBe(received[0]?.socket);
  });

  it("fails a request in flight when shut down", async () => {
    const { url, received } = await collector(() => {
      // Never answers.
    });
    const exporter = exporterFor(url, 600_000);
    const pending = exportOnce(exporter);
    await expect.poll(() => received.length).toBe(1);
    await exporter.shutdown();
    expect((await pending).code).toBe(ExportResultCode.FAILED);
  });
});
