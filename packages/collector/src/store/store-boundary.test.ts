import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/**
 * The store interface (store/store.ts, store/durability.ts) is the only door to the data: routes,
 * the verdict and retention never reach into an implementation, so another store (PostgreSQL)
 * slots in. Only the places that choose the implementation import it.
 */
const CHOOSE_THE_STORE = ["server.ts", "index.ts"];

describe("the store boundary", () => {
  it("is crossed only where the store is chosen", () => {
    const files = sourceFiles(SRC).map((file) => relative(SRC, file));
    const offenders = files.filter(
      (file) =>
        !file.startsWith("store/sqlite/") &&
        !CHOOSE_THE_STORE.includes(file) &&
        /from\s+["'][./]*(store\/)?sqlite\//.test(readFileSync(join(SRC, file), "utf8")),
    );
    expect(offenders).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
