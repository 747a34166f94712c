import { defineProject } from "vitest/config";

// npm install from the registry can take minutes on a busy machine (and compiling SQLite, when the
// prebuilt binary cannot be reused, more): generous limits, and no assertion on time.
export default defineProject({
  test: {
    name: "install",
    include: ["**/*.test.ts"],
    testTimeout: 5 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
