import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { otlpRequest, postOtlp } from "./support/otlp";

const RUNS = 260;

/** Many finished runs, one root span each, a second apart; bulk-000 is the oldest. */
function manyRuns(count: number): string[] {
  const start = Date.now() - count * 1000;
  return Array.from({ length: count }, (_, i) => {
    const runId = `bulk-${String(i).padStart(3, "0")}`;
    return otlpRequest(randomBytes(16).toString("hex"), [
      {
        name: "invoke_agent bulk",
        startMs: start + i * 1000,
        endMs: start + i * 1000 + 50,
        attributes: { "flightrec.run.id": runId, "flightrec.span.kind": "run", "gen_ai.agent.name": "bulk" },
      },
    ]);
  });
}

describe.skipIf(!browserAvailable())("runs table with many runs", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector();
    for (const body of manyRuns(RUNS)) await postOtlp(collector.url, body);
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  it("keeps only visible rows in the page and loads further pages as it scrolls", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}/`);
    const rows = page.locator("tr[data-run-id]");
    await page.locator('tr[data-run-id="bulk-259"]').waitFor();
    expect(await rows.count()).toBeLessThan(60);
    const table = page.locator(".grid-table");
    const oldest = page.locator('tr[data-run-id="bulk-000"]');
    for (let i = 0; i < 40 && (await oldest.count()) === 0; i++) {
      await table.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(100);
    }
    await oldest.waitFor();
    expect(await page.locator(".page-head").textContent()).toContain(`${RUNS} shown`);
    expect(await rows.count()).toBeLessThan(60);
    await page.close();
  });
});
