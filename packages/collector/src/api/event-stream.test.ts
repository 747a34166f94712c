import { describe, expect, it } from "vitest";
import { EventStream } from "./event-stream.js";

const frameOf = (bytes: number) => new Uint8Array(bytes).fill(0x61);

function stream(maxUnsentBytes: number) {
  const ends: string[] = [];
  const s = new EventStream({ maxUnsentBytes, onEnd: (reason) => ends.push(reason) });
  return { s, ends, reader: s.body.getReader() };
}

describe("EventStream", () => {
  it("hands every client the same frame, never a copy", async () => {
    const a = stream(1024);
    const b = stream(1024);
    const frame = frameOf(100);
    a.s.send(frame);
    b.s.send(frame);
    expect((await a.reader.read()).value).toBe(frame);
    expect((await b.reader.read()).value).toBe(frame);
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
