import { constants, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EventStream } from "./event-stream.js";
import { SseFrame, type StreamEncoding } from "./sse-frame.js";

const frameOf = (bytes: number) => new SseFrame(new Uint8Array(bytes).fill(0x61));

function stream(maxUnsentBytes: number, encoding: StreamEncoding = "identity") {
  const ends: string[] = [];
  const s = new EventStream({ maxUnsentBytes, encoding, onEnd: (reason) => ends.push(reason) });
  return { s, ends, reader: s.body.getReader() };
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, chunks: number): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < chunks; i++) out.push((await reader.read()).value!);
  return Buffer.concat(out);
}

describe("EventStream", () => {
  it("hands every client the same bytes, never a copy", async () => {
    const a = stream(1024);
    const b = stream(1024);
    const frame = frameOf(100);
    a.s.send(frame);
    b.s.send(frame);
    expect((await a.reader.read()).value).toBe(frame.plain);
    expect((await b.reader.read()).value).toBe(frame.plain);
  });

  it("gives a gzip client the gzip header, then each frame compressed once for all such clients", async () => {
    const a = stream(1024, "gzip");
    const b = stream(1024, "gzip");
    const frames = [SseFrame.of(": connected\n\n"), SseFrame.of(`event: run\ndata: ${"{}".repeat(500)}\n\n`)];
    for (const frame of frames) {
      a.s.send(frame);
      b.s.send(frame);
    }
    const bytes = await readAll(a.reader, 3);
    await b.reader.read();
    await b.reader.read();
    expect((await b.reader.read()).value).toBe(frames[1]!.deflated);
    // No trailer ever comes: inflated as a browser does, as far as the bytes go.
    const text = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    expect(text).toBe(`: connected\n\nevent: run\ndata: ${"{}".repeat(500)}\n\n`);
    expect(frames[1]!.deflated.byteLength).toBeLessThan(frames[1]!.plain.byteLength / 10);
  });

  it("counts what is queued as unsent until the connection takes it", async () => {
    const { s, reader } = stream(1024);
    s.send(frameOf(100));
    s.send(frameOf(50));
    expect(s.unsentBytes).toBe(150);
    await reader.read();
    expect(s.unsentBytes).toBe(50);
  });

  it("sends a frame larger than the limit to a client that is caught up", async () => {
    const { s, ends, reader } = stream(1024);
    expect(s.send(frameOf(4096))).toBe(true);
    expect((await reader.read()).value?.byteLength).toBe(4096);
    expect(ends).toEqual([]);
  });

  it("drops a client whose unsent bytes would pass the limit, and lets go of its queue", async () => {
    const { s, ends, reader } = stream(1024);
    expect(s.send(frameOf(600))).toBe(true);
    expect(s.send(frameOf(600))).toBe(false);
    expect(ends).toEqual(["dropped"]);
    expect(s.unsentBytes).toBe(0);
    await expect(reader.read()).rejects.toThrow(/too far behind/);
    expect(s.send(frameOf(1))).toBe(false);
  });

  it("ends once when the client goes away", async () => {
    const { s, ends, reader } = stream(1024);
    await reader.cancel();
    s.close();
    expect(ends).toEqual(["closed"]);
  });
});
