import { connect, type Socket } from "node:net";

/** A connection written by hand, for clients no well-behaved library would be. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent, once it closed the connection (or reset it). */
  closed: Promise<string>;
}

/** Opens a connection to `url`'s host and port and writes `head` (request line and headers). */
export function rawRequest(url: string, head: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise<string>((done) => {
        socket.once("close", () => done(Buffer.concat(chunks).toString("latin1")));
      });
      socket.on("error", () => {}); // a reset ends the connection like a close
      socket.write(head);
      resolve({ socket, closed });
    });
    socket.once("error", reject);
  });
}

/** Request line and headers of a POST to `path` (/v1/traces) that declares `contentLength` bytes of JSON. */
export function uploadHead(url: string, contentLength: number, path = "/v1/traces"): string {
  const { host } = new URL(url);
  return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
}

/** The status code of the first response in `text`, or 0 when there is none. */
export function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

/** Polls `read` until it returns true; the test's own timeout bounds the wait. */
export async function until(read: () => Promise<boolean> | boolean, everyMs = 20): Promise<void> {
  while (!(await read())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}

/** A gauge or counter from the collector's /metrics text. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
}
