import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { otlpRequest } from "./support/otlp";

/** The run list's data must not wait for the app's code: the order of requests shows it. */
describe.skipIf(!browserAvailable())("run list first paint", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector({ token: "paint-token" });
    const now = Date.now();
    await fetch(`${collector.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer paint-token" },
      body: otlpRequest("e".repeat(32), [
        {
          name: "invoke_agent first",
          startMs: now - 2000,
          endMs: now - 1000,
          attributes: { "flightrec.run.id": "first-1", "flightrec.span.kind": "run" },
        },
      ]),
    });
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  it("asks for the runs (with the token) before loading the app's code, and loads no other page's code", async () => {
    const page = await launched.context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${collector.url}/?token=paint-token`);
    await page.locator('tr[data-run-id="first-1"]').waitFor();
    const scripts = requests.filter((p) => p.endsWith(".js"));
    const firstRuns = requests.indexOf("/api/runs");
    // The entry script is tiny; everything after it comes after the run list was asked for.
    expect(scripts.length).toBeGreaterThan(1);
    expect(firstRuns).toBeGreaterThan(-1);
    expect(firstRuns).toBeLessThan(requests.indexOf(scripts[1]!));
    expect(scripts.filter((p) => /run-page|failures-page|usage-page|sql-page/.test(p))).toEqual([]);
    await page.close();
  });
});
