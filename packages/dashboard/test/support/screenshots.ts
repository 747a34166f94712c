import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where a browser test puts the README's screenshots: docs/screenshots when refreshing them
 * (FLIGHTREC_UPDATE_SCREENSHOTS=1), else a temporary directory, so a test run leaves the tree clean.
 */
export function screenshotPath(name: string): string {
  const dir =
    process.env.FLIGHTREC_UPDATE_SCREENSHOTS === "1"
      ? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "docs", "screenshots")
      : mkdtempSync(join(tmpdir(), "flightrec-screenshots-"));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
