import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceServiceProto } from "../src/otlp/proto-root.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { otlpProtobuf } from "./otlp-builder.js";

const TRACE_ID = "5b8efff798038103d269b633813fc60c";
const start = 1_763_900_000_000_000_000n;
let nextSpan = 0x1000;
const spanId = () => (nextSpan++).toString(16).padStart(16, "0");

function span(overrides: Record<string, unknown> = {}) {
  return {
    traceId: TRACE_ID,
    spanId: spanId(),
    name: "a span",
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
    ...overrides,
  };
}

/** An OTLP/protobuf ExportTraceServiceResponse, its rejected count as a number. */
function decodeExportResponse(bytes: Uint8Array) {
  const message = TraceServiceProto.ExportTraceServiceResponse.decode(bytes) as {
    partialSuccess?: { rejectedSpans: number | { toString(): string }; errorMessage: string };
  };
  const partial = message.partialSuccess;
  return {
    partialSuccess: partial && { ...partial, rejectedSpans: Number(String(partial.rejectedSpans)) },
  };
}

/**
 * One span the store cannot take must cost that span alone: the others in its request are
 * stored and the answer is 200 with partialSuccess, never an error that loses the whole batch.
 */
describe("a request with one bad span among good ones", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each([
    [
      "a decision event after 2262",
      { events: [{ name: "flightrec.decision", timeUnixNano: "9300000000000000000" }] },
    ],
    [
      "an exception event after 2262",
      { status: { code: 2 }, events: [{ name: "exception", timeUnixNano: "9300000000000000000" }] },
    ],
  ])("stores the good span and rejects only the one with %s", async (_what, bad) => {
    const good = span();
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span(bad), good] }] }] });
    const response = await postTraces(collector.server.url, body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { partialSuccess?: { rejectedSpans: string } };
    expect(answer.partialSuccess?.rejectedSpans).toBe("1");
    expect(collector.query("SELECT span_id FROM spans WHERE span_id = ?", good.spanId)).toHaveLength(1);
  });

  it("stores the spans of a request whose resource or span has a malformed nested attribute value", async () => {
    const odd = [
      { key: "nothing", value: { arrayValue: null } },
      { key: "not a list", value: { kvlistValue: { values: "x" } } },
    ];
    const good = span({ attributes: odd });
    const body = JSON.stringify({
      resourceSpans: [{ resource: { attributes: odd }, scopeSpans: [{ spans: [good] }] }],
    });
    const response = await postTraces(collector.server.url, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(collector.query("SELECT attributes FROM spans WHERE span_id = ?", good.spanId)).toEqual([
      { attributes: '{"nothing":null,"not a list":{}}' },
    ]);
  });

  it.each(["json", "protobuf"] as const)(
    "rejects only a span whose start time is not set, sent as OTLP/%s",
    async (encoding) => {
      // Protobuf cannot tell a zero time from a missing one; OTLP/JSON senders write "0".
      const unset = span({ startTimeUnixNano: "0" });
      const good = span();
      const request = { resourceSpans: [{ scopeSpans: [{ spans: [unset, good] }] }] };
      const response =
        encoding === "json"
          ? await postTraces(collector.server.url, JSON.stringify(request))
          : await postTraces(collector.server.url, otlpProtobuf(request), "application/x-protobuf");
      expect(response.status).toBe(200);
      const answer =
        encoding === "json"
          ? ((await response.json()) as {
              partialSuccess?: { rejectedSpans: string | number; errorMessage: string };
            })
          : decodeExportResponse(new Uint8Array(await response.arrayBuffer()));
      expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(1);
      expect(answer.partialSuccess?.errorMessage).toContain(
        `span ${unset.spanId}: startTimeUnixNano is not set`,
      );
      expect(
        collector.query("SELECT span_id FROM spans WHERE span_id IN (?, ?)", unset.spanId, good.spanId),
      ).toEqual([{ span_id: good.spanId }]);
    },
  );

  it("stores a failed span whose captured input is nested deeper than SQLite's JSON functions read", async () => {
    const input = `${"[".repeat(1001)}${"]".repeat(1001)}`;
    const failed = span({
      status: { code: 2, message: "boom" },
      attributes: [{ key: "flightrec.failure.input", value: { stringValue: input } }],
    });
    const good = span();
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [failed, good] }] }] });
    const response = await postTraces(collector.server.url, body);
    expect(response.status).toBe(200);
    expect(
      collector.query(
        "SELECT span_id, json_valid(input) AS valid FROM failures WHERE span_id = ?",
        failed.spanId,
      ),
    ).toEqual([{ span_id: failed.spanId, valid: 1 }]);
    expect(collector.query("SELECT span_id FROM spans WHERE span_id = ?", good.spanId)).toHaveLength(1);
  });

  it("stores a tool span whose attribute is nested a thousand deep, keeping tool_calls readable", async () => {
    let value: object = { stringValue: "bottom" };
    for (let i = 0; i < 1000; i++) value = { kvlistValue: { values: [{ key: "k", value }] } };
    const tool = span({
      name: "execute_tool lookup",
      attributes: [
        { key: "gen_ai.operation.name", value: { stringValue: "execute_tool" } },
        { key: "gen_ai.tool.name", value: { stringValue: "lookup" } },
        { key: "gen_ai.tool.call.arguments", value },
      ],
    });
    const body = JSON.stringify({
      resourceSpans: [
        { resource: { attributes: [{ key: "deep", value }] }, scopeSpans: [{ spans: [tool] }] },
      ],
    });
    const response = await postTraces(collector.server.url, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(collector.query("SELECT tool, json_valid(arguments) AS valid FROM tool_calls")).toEqual([
      { tool: "lookup", valid: 1 },
    ]);
  });

  it("says which spans it could not store when more spans of a trace share a key than fit", async () => {
    // Ten span IDs of one trace ending in the same 22 bits: eight fit on the key's probes.
    const spans = Array.from({ length: 10 }, (_, i) =>
      span({ spanId: `${(i + 1).toString(16).padStart(2, "0")}abababab0000ee` }),
    );
    const response = await postTraces(
      collector.server.url,
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as {
      partialSuccess?: { rejectedSpans: string; errorMessage: string };
    };
    expect(answer.partialSuccess?.rejectedSpans).toBe("2");
    expect(answer.partialSuccess?.errorMessage).toContain("share the low 22 bits of its span ID");
    expect(collector.query("SELECT count(*) AS n FROM spans WHERE span_id LIKE '%0000ee'")).toEqual([
      { n: 8 },
    ]);
  });
});
