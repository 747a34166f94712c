import { describe, expect, it } from "vitest";
import { spanStatus } from "./span-status";

describe("spanStatus", () => {
  it("shows a span the verdict ended as interrupted, and any other as stored", () => {
    expect(spanStatus({ status: "error", error: "interrupted: SIGTERM" })).toBe("interrupted");
    expect(spanStatus({ status: "error", error: "SMTP 550" })).toBe("error");
    expect(spanStatus({ status: "error", error: null })).toBe("error");
    expect(spanStatus({ status: "running", error: null })).toBe("running");
    expect(spanStatus({ status: "ok", error: null })).toBe("ok");
  });
});
