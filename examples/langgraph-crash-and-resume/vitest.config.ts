import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "langgraph-crash-and-resume", include: ["test/**/*.test.ts"], testTimeout: 120_000 },
});
