import { describe, expect, it } from "vitest";
import { failureFingerprint, messagePattern } from "./failure-fingerprint.js";

describe("failure fingerprint", () => {
  it("replaces numbers, IDs, quoted values and addresses, keeping the words", () => {
    expect(messagePattern("SMTP 550: mailbox unavailable for ann@example.com")).toBe(
      "SMTP <n>: mailbox unavailable for <email>",
    );
    expect(messagePattern('no run with ID "task-123"')).toBe("no run with ID <value>");
    expect(messagePattern("order ord_98f3 not found after 3 retries")).toBe(
      "order <id> not found after <n> retries",
    );
    expect(messagePattern("trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped")).toBe("trace <id> dropped");
    expect(messagePattern("timeout after 2.5 s")).toBe("timeout after <n> s");
  });

  it("puts the same problem in different runs together, and apart from another span's", () => {
    const a = { error_type: "SmtpError", message: "SMTP 550 for ann@example.com", name: "send_email" };
    const b = { error_type: "SmtpError", message: "SMTP 550 for bob@example.org", name: "send_email" };
    expect(failureFingerprint(a)).toBe(failureFingerprint(b));
    expect(failureFingerprint({ ...a, name: "notify" })).not.toBe(failureFingerprint(a));
    expect(failureFingerprint({ ...a, error_type: null })).not.toBe(failureFingerprint(a));
  });
});
