import { connect, type Socket } from "node:net";

/** Connections written by hand, held open until closed: clients no library would be. */
export interface OpenClients {
  close(): void;
}

function open(url: string, head: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(head);
      resolve(socket);
    });
    socket.on("error", () => {}); // the collector may reset a client it dropped
    socket.once("error", reject);
  });
}

async function openMany(count: number, opener: () => Promise<Socket>): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) sockets.push(await opener());
  return sockets;
}

function clients(sockets: Socket[], onClose?: () => void): OpenClients {
  return {
    close: () => {
      onClose?.();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/**
 * Uploads that declare a 4 MiB body and send one byte of it a second, as a client on a stalled
 * link (or an attacker) would. Each stays open until the collector's body timeout.
 */
export async function slowUploads(url: string, count: number): Promise<OpenClients> {
  const { host } = new URL(url);
  const head = `POST /v1/traces HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${4 * 1024 * 1024}\r\n\r\n{`;
  const sockets = await openMany(count, () => open(url, head));
  const trickle = setInterval(() => {
    for (const socket of sockets) if (!socket.destroyed) socket.write(" ");
  }, 1_000);
  return clients(sockets, () => clearInterval(trickle));
}

/** The request of a live-update client; browsers' EventSource asks for gzip. */
function eventsHead(url: string, gzip: boolean): string {
  const { host } = new URL(url);
  return `GET /api/events HTTP/1.1\r\nHost: ${host}\r\n${gzip ? "Accept-Encoding: gzip, deflate, br\r\n" : ""}\r\n`;
}

/**
 * Live-update clients that connect and never read a byte: a stalled browser tab (`gzip`), or a
 * client written by hand that does not take gzip either.
 */
export async function stalledEventStreams(url: string, count: number, gzip: boolean): Promise<OpenClients> {
  const head = eventsHead(url, gzip);
  const sockets = await openMany(count, async () => {
    const socket = await open(url, head);
    socket.pause();
    return socket;
  });
  return clients(sockets);
}

/** Live-update clients that read everything, as dashboards do (asking for gzip, as browsers do). */
export async function readingEventStreams(url: string, count: number): Promise<OpenClients> {
  const head = eventsHead(url, true);
  const sockets = await openMany(count, async () => {
    const socket = await open(url, head);
    socket.on("data", () => {});
    return socket;
  });
  return clients(sockets);
}
