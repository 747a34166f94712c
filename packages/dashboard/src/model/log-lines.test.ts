import { describe, expect, it } from "vitest";
import type { LogRow, SpanRow } from "../api/schemas";
import { frameLogLines, logAttributes, logLevel, logLinesBySpan, logMessage } from "./log-lines";

let n = 0;
const line = (overrides: Partial<LogRow>): LogRow => ({
  log_id: String(n++),
  span_id: "a",
  ts: "2026-12-04T10:00:00.000Z",
  severity_number: null,
  severity_text: null,
  body: null,
  attributes: "{}",
  ...overrides,
});

describe("log lines", () => {
  it("gives a frame its span's lines and those of plumbing folded into it, in time order", () => {
    const bySpan = logLinesBySpan([
      line({ span_id: "step", ts: "2026-12-04T10:00:02.000Z", body: '"second"' }),
      line({ span_id: "plumbing", ts: "2026-12-04T10:00:01.000Z", body: '"first"' }),
      line({ span_id: "other", body: '"elsewhere"' }),
      line({ span_id: null, body: '"no span"' }),
    ]);
    const folded = [{ span_id: "plumbing" } as SpanRow];
    expect(frameLogLines(bySpan, "step", folded).map(logMessage)).toEqual(["first", "second"]);
    expect(frameLogLines(bySpan, "step", []).map(logMessage)).toEqual(["second"]);
  });

  it("names the level from the logger's text, else the OTLP severity number", () => {
    expect(logLevel(line({ severity_text: "WARN", severity_number: 13 }))).toBe("warn");
    expect(logLevel(line({ severity_number: 17 }))).toBe("error");
    expect(logLevel(line({ severity_number: 9 }))).toBe("info");
    expect(logLevel(line({}))).toBe("log");
  });

  it("shows a structured body as JSON and leaves out empty attributes", () => {
    expect(logMessage(line({ body: '{"a":1}' }))).toBe('{"a":1}');
    expect(logAttributes(line({}))).toBeNull();
    expect(logAttributes(line({ attributes: '{"ticket":7}' }))).toEqual({ ticket: 7 });
  });
});
