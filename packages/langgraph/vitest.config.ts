import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "langgraph",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // LangGraph's conformance suite calls describe/it/beforeAll as globals.
    globals: true,
  },
});
