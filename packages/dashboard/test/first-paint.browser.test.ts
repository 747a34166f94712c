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
    for (const [traceId, runId] of [
      ["e".repeat(32), "first-1"],
      ["f".repeat(32), "first-2"],
    ]) {
      const posted = await fetch(`${collector.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer paint-token" },
        body: otlpRequest(traceId!, [
          {
            name: "invoke_agent first",
            startMs: now - 2000,
            endMs: now - 1000,
            attributes: { "flightrec.run.id": runId!, "flightrec.span.kind": "run" },
          },
        ]),
      });
      expect(posted.status).toBe(200);
    }
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

  it("asks for a replay's run, or the two compared runs, before loading the app's code", async () => {
    for (const [path, wanted] of [
      ["/runs/first-1?token=paint-token", ["/api/runs/first-1?spans=outline"]],
      ["/compare?a=first-1&b=first-2&token=paint-token", ["/api/runs/first-1", "/api/runs/first-2"]],
    ] as const) {
      const page = await launched.context.newPage();
      const requests: string[] = [];
      page.on("request", (r) => {
        const url = new URL(r.url());
        requests.push(url.pathname + url.search);
      });
      await page.goto(`${collector.url}${path}`);
      // Shown: the replay's inspector, or the compare of the two runs (no steps, so no step rows).
      await (path.startsWith("/runs/")
        ? page.locator("article.inspector")
        : page.getByText("No step diverges.")
      ).waitFor();
      const main = requests.findIndex((p) => /\/assets\/main-[^/]*\.js$/.test(p));
      expect(main).toBeGreaterThan(-1);
      for (const url of wanted) {
        // Asked for once, by the entry script, before the app's code (and the app took that answer).
        expect(requests.filter((p) => p === url)).toHaveLength(1);
        expect(requests.indexOf(url)).toBeLessThan(main);
      }
      await page.close();
    }
  });
});
