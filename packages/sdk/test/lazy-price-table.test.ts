import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const probe = fileURLToPath(new URL("./fixtures/price-table-probe.mjs", import.meta.url));

// Measures the built package (dist), in a process of its own: what an agent's cold start loads.
it("loads the price table at the first priced call, not at import and init, and prices that call", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [probe]);
  const result = JSON.parse(stdout) as Record<string, unknown>;
  expect(result).toMatchObject({ loadedByImportAndInit: false, loadedByFirstCall: true });
  expect(result.costUsd).toBeCloseTo((1000 * 2.5 + 100 * 10) / 1e6, 12);
});
