import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { postOtlp } from "./support/otlp";
import { plumbingRun } from "./support/plumbing-run";
import { resumedRunRequests } from "./support/resumed-run";

interface Box {
  x: number;
  width: number;
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width;

/** Waits until the collector's verdict has ended the attempt a resume superseded. */
async function untilSuperseded(url: string, runId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const detail = (await (await fetch(`${url}/api/runs/${runId}`)).json()) as {
      spans: { status: string }[];
    };
    if (detail.spans.length > 0 && detail.spans.every((s) => s.status !== "running")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`attempt 1 of ${runId} was never judged`);
}

/**
 * The waterfall as people who read traces every day expect it: a time axis with ticks, labels
 * beside the bars, each attempt of a resumed run on its own lane with the dead time between
 * them a label, subtrees that collapse, a span to zoom into, and a search within the run.
 */
describe.skipIf(!browserAvailable())("the run waterfall", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector();
    const [killed, resumed] = resumedRunRequests("sales-resumed", Date.now() - 30 * 60_000, 25);
    await postOtlp(collector.url, killed);
    await postOtlp(collector.url, resumed);
    await postOtlp(collector.url, plumbingRun("graph-ok", Date.now() - 60_000, false));
    await untilSuperseded(collector.url, "sales-resumed");
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await launched.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${collector.url}${path}`);
    await page.locator("article.inspector").waitFor();
    return page;
  }
  const trackBox = async (page: Page, selector: string) => {
    const row = page.locator(selector).first();
    const bar = (await row.locator(".wf-bar").boundingBox())!;
    const track = (await row.locator(".wf-track").boundingBox())!;
    return { bar, track };
  };

  it("draws each attempt on its own lane, the dead time between them a label, and counts only time running", async () => {
    const page = await open("/runs/sales-resumed");
    const lanes = page.locator(".wf-lane");
    await expect.poll(() => lanes.count()).toBe(2);
    expect(await lanes.nth(0).textContent()).toMatch(/Attempt 1\s*interrupted\s*ran 120 ms/);
    expect(await page.getByTestId("attempt-gap").textContent()).toMatch(/^killed · 2[45] m \d+ s · resumed$/);
    expect(await lanes.nth(1).textContent()).toContain("Attempt 2");
    // Attempt 2 spans its own lane's track, not a sliver at the end of a 25-minute axis.
    const { bar, track } = await trackBox(page, '.wf-row.kind-run:has-text("attempt 2")');
    expect(bar.width / track.width).toBeGreaterThan(0.95);
    // The dead attempt's open spans are interrupted, never running.
    expect(await page.locator(".wf-row.st-running").count()).toBe(0);
    expect(await page.locator(".wf-row.st-interrupted").count()).toBe(2);
    // The run ran 520 ms of its 25 minutes.
    expect(await page.getByTestId("run-duration").textContent()).toMatch(
      /^520 ms running · 2[45] m \d+ s wall$/,
    );
    // Its last step ended 490 ms into the time it ran (120 ms of attempt 1, 370 ms of attempt 2).
    await page.keyboard.press("End");
    await expect.poll(() => page.locator("article.inspector h3").textContent()).toBe("send_email");
    expect(await page.locator("article.inspector").textContent()).toMatch(/time so far\s*490 ms/);
    await page.close();
  });

  it("has a time axis with ticks and puts no duration label over a bar", async () => {
    const page = await open("/runs/graph-ok?all=1");
    const ticks = await page.locator(".wf-axis-top .wf-tick").allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks[0]).toBe("0");
    expect(ticks.at(-1)).toMatch(/ms$/);
    const rows = page.locator(".wf-row");
    const count = await rows.count();
    expect(count).toBeGreaterThan(5);
    let labelled = 0;
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const bar = (await row.locator(".wf-bar").boundingBox())!;
      for (const label of await row.locator(".wf-dur").all()) {
        expect(overlaps((await label.boundingBox())!, bar)).toBe(false);
        labelled++;
      }
    }
    expect(labelled).toBe(count);
    await page.close();
  });

  it("collapses steps and expands them again; the cursor stays on a visible row", async () => {
    const page = await open("/runs/graph-ok");
    const rows = page.locator(".wf-row");
    const all = await rows.count();
    await page.getByRole("button", { name: "Collapse steps" }).click();
    await expect.poll(() => rows.count()).toBeLessThan(all);
    expect(await page.locator(".wf-hidden").count()).toBeGreaterThan(0);
    // Stepping onto a frame folded away selects the step it is folded under.
    await page.keyboard.press("End");
    expect(await page.locator(".wf-row.selected .wf-name").textContent()).toBe("agent");
    await page.getByRole("button", { name: "Expand all" }).click();
    await expect.poll(() => rows.count()).toBe(all);
    expect(await page.locator(".wf-row.selected .wf-name").textContent()).toBe("ChatOpenAI");
    await page.close();
  });

  it("zooms the time axis to a span and back", async () => {
    const page = await open("/runs/graph-ok");
    const tool = '.wf-row.kind-tool:has-text("weather")';
    await page.locator(tool).click();
    const before = await trackBox(page, tool);
    expect(before.bar.width / before.track.width).toBeLessThan(0.2);
    await page.getByRole("button", { name: "Zoom to span" }).click();
    await expect
      .poll(async () => {
        const { bar, track } = await trackBox(page, tool);
        return bar.width / track.width;
      })
      .toBeGreaterThan(0.95);
    await page.getByTestId("unzoom").click();
    await expect
      .poll(async () => {
        const { bar, track } = await trackBox(page, tool);
        return bar.width / track.width;
      })
      .toBeLessThan(0.2);
    await page.close();
  });

  it("finds spans by model and goes to each match with Enter", async () => {
    const page = await open("/runs/graph-ok");
    const search = page.getByRole("searchbox", { name: "Find spans in this run" });
    await search.fill("GPT-4O-MINI");
    expect(await page.getByTestId("span-matches").textContent()).toBe("2 matches");
    expect(await page.locator(".wf-row.wf-match").count()).toBe(2);
    await search.press("Enter");
    await expect.poll(() => page.getByTestId("span-matches").textContent()).toBe("1 of 2");
    expect(await page.locator("article.inspector h3").textContent()).toBe("ChatOpenAI");
    await search.press("Enter");
    await expect.poll(() => page.getByTestId("span-matches").textContent()).toBe("2 of 2");
    // Typing in the search box does not move the replay (j, k are letters here).
    await search.fill("jk");
    expect(await page.getByTestId("span-matches").textContent()).toBe("no match");
    expect(await page.getByTestId("cursor-position").textContent()).toMatch(/^7 \/ 7$/);
    await page.close();
  });
});
