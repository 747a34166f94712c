import { describe, expect, it } from "vitest";
import { acceptsGzip, SseFrame } from "./sse-frame.js";

describe("acceptsGzip", () => {
  it.each([
    ["gzip, deflate, br, zstd", true],
    ["br;q=1.0, gzip;q=0.8", true],
    ["*", true],
    ["gzip;q=0", false],
    ["gzip;q=0, *", false],
    ["identity", false],
    [undefined, false],
  ])("%s → %s", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe("SseFrame", () => {
  it("compresses once, however many clients ask", () => {
    const frame = SseFrame.of("event: run\ndata: {}\n\n");
    expect(frame.bytes("gzip")).toBe(frame.bytes("gzip"));
    expect(frame.bytes("identity")).toBe(frame.plain);
  });
});
