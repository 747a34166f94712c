import type { AddressInfo } from "node:net";
import { connect, createServer, type Server, type Socket } from "node:net";

export interface PoolerProxy {
  /** Port to connect to instead of PostgreSQL's. */
  port: number;
  /** Startup parameter names clients sent, one list per connection. */
  startups: string[][];
  close(): Promise<void>;
}

/** The key/value pairs of a PostgreSQL StartupMessage (after its length and protocol version). */
function startupParameters(message: Buffer): string[] {
  const names: string[] = [];
  const parts = message.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length && parts[i] !== ""; i += 2) names.push(parts[i]!);
  return names;
}

/** An ErrorResponse as PgBouncer sends it for a startup parameter it does not support. */
function unsupported(name: string): Buffer {
  const fields = Buffer.from(`SFATAL\0C08P01\0Munsupported startup parameter: ${name}\0\0`);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/**
 * A stand-in for a connection pooler in front of PostgreSQL (PgBouncer): it passes connections
 * through, but refuses a client whose startup message carries a parameter a pooler does not
 * track, as PgBouncer refuses `options`.
 */
export async function startPoolerProxy(target: { host: string; port: number }): Promise<PoolerProxy> {
  const startups: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.once("data", (first) => {
      const names = startupParameters(first);
      startups.push(names);
      if (names.includes("options")) {
        client.end(unsupported("options"));
        return;
      }
      const upstream = connect(target, () => {
        upstream.write(first);
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on("close", () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    startups,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
