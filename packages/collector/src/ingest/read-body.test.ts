import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { HttpError } from "../errors.js";
import { readBody, refuseBody } from "./read-body.js";

const OPTIONS = { maxBytes: 100, timeoutMs: 30_000 };

/** A POST whose body arrives in the given chunks, then ends (or never does). */
function post(
  chunks: string[],
  { ends = true, headers = {} } = {},
): { request: Request; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled];
      if (next !== undefined) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(next));
      } else if (ends) controller.close();
    },
  });
  const request = new Request("http://localhost/v1/traces", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("readBody", () => {
  it("returns the body, told each step of its growth", async () => {
    const seen: number[] = [];
    const { request } = post(["abc", "de"]);
    const body = await readBody({ request }, { ...OPTIONS, onProgress: (n) => seen.push(n) });
    expect(body.toString()).toBe("abcde");
    expect(seen).toEqual([3, 5]);
  });

  it("reads a body over the limit to its end before refusing it with 413", async () => {
    let refused = 0;
    const { request, pulled } = post(["x".repeat(60), "x".repeat(60), "x".repeat(60)]);
    const reading = readBody({ request }, { ...OPTIONS, onRefused: () => refused++ });
    await expect(reading).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/limit of 100 bytes/),
    });
    expect(pulled()).toBe(3);
    expect(refused).toBe(1);
  });

  it("refuses with the error onProgress throws, after reading the rest", async () => {
    const { request, pulled } = post(["a", "b", "c"]);
    const busy = new HttpError(429, "busy");
    const reading = readBody(
      { request },
      {
        ...OPTIONS,
        onProgress: (n) => {
          if (n === 2) throw busy;
        },
      },
    );
    await expect(reading).rejects.toBe(busy);
    expect(pulled()).toBe(3);
  });

  it("answers 408 naming the limit, on a closing connection, when the body does not end in time", async () => {
    const { request } = post(["{"], { ends: false });
    await expect(readBody({ request }, { ...OPTIONS, timeoutMs: 20 })).rejects.toMatchObject({
      status: 408,
      message: expect.stringMatching(/did not arrive within 20 ms/),
      headers: { connection: "close" },
    });
  });

  it("inflates gzip within the limit, and refuses a bomb with 413", async () => {
    const gz = (text: string) => {
      const bytes = gzipSync(text);
      return new Request("http://localhost/v1/traces", {
        method: "POST",
        body: bytes,
        headers: { "content-encoding": "gzip" },
      });
    };
    expect((await readBody({ request: gz("hello") }, OPTIONS)).toString()).toBe("hello");
    await expect(readBody({ request: gz("x".repeat(1000)) }, OPTIONS)).rejects.toMatchObject({ status: 413 });
  });
});

describe("refuseBody", () => {
  it("reads the whole body, then throws the refusal", async () => {
    const { request, pulled } = post(["a", "b"]);
    const refusal = new HttpError(415, "unsupported content type");
    await expect(refuseBody({ request }, refusal, OPTIONS)).rejects.toBe(refusal);
    expect(pulled()).toBe(2);
  });
});
