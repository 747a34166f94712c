import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "crash-and-resume", include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
