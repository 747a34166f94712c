import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "./auth.js";

describe("isLoopbackHost", () => {
  it("accepts loopback names with or without a port", () => {
    for (const host of [
      "localhost",
      "localhost:4318",
      "LOCALHOST.",
      "app.localhost:5173",
      "127.0.0.1:4318",
      "127.1.2.3",
      "[::1]:4318",
      "[::1]",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it("refuses every other name, including ones that merely start like loopback", () => {
    for (const host of [
      "evil.example",
      "evil.example:4318",
      "127.0.0.1.evil.example",
      "localhost.evil.example",
      "[::2]:4318",
      "0.0.0.0",
      "",
      "127.0.0.1:4318@evil",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
