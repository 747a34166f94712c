import { Agent, request } from "node:http";

/**
 * Sends one OTLP body the way the OpenTelemetry JS exporters do (node:http on a keep-alive
 * agent) and resolves with the status. The load generator shares the machine's cores with the
 * collector, so it uses the cheapest client rather than fetch (several times the CPU a request).
 */
export function post(
  agent: Agent,
  url: URL,
  body: string | Uint8Array,
  contentType: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export const keepAliveAgent = (sockets: number) => new Agent({ keepAlive: true, maxSockets: sockets });
