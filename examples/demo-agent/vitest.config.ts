import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "demo-agent",
    include: ["test/**/*.test.ts"],
    testTimeout: 5 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
