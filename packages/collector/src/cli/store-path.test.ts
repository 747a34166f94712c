import { describe, expect, it } from "vitest";
import { postgresUrlOf, redactedStoreUrl } from "./store-path.js";

describe("store URLs in errors and logs", () => {
  it("hides the password of a URL", () => {
    expect(redactedStoreUrl("postgres://agent:s3cret@db:5432/flightrec?sslpassword=x")).toBe(
      "postgres://agent:***@db:5432/flightrec?sslpassword=***",
    );
  });

  it("hides a password that keeps the text from being a URL, however it is written", () => {
    for (const password of ["ab/cd+e=", "p#ss", "x?y", "a:b@c/d"]) {
      const text = `postgres://agent:${password}@127.0.0.1:5432/flightrec`;
      expect(redactedStoreUrl(text)).toBe("postgres://agent:***@127.0.0.1:5432/flightrec");
    }
  });

  it("refuses such a URL naming percent-encoding, without the password", () => {
    const value = "postgres://agent:ab/cd+e=@127.0.0.1/flightrec";
    expect(() => postgresUrlOf({ value, from: "--store" } as Parameters<typeof postgresUrlOf>[0])).toThrow(
      /^--store must be a PostgreSQL URL .*got "postgres:\/\/agent:\*\*\*@127\.0\.0\.1\/flightrec"; percent-encode/,
    );
  });
});
