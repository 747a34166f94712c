/**
 * How fast the replay opens and moves, in headless Chromium against the real collector.
 * Targets: a 5,000-span run interactive within 1 s; a cursor move rendered within 50 ms.
 * A 50-span run opened in the same process is the baseline the ratios are taken against. The
 * 5,000-span LangGraph-like run is mostly plumbing, folded away (and shown, with `?all=1`).
 * Compare: two 1,000-span runs that part at their middle step, against two 50-span runs.
 */
import type { Page } from "playwright-core";
import { browserAvailable, launchBrowser } from "../test/support/browser";
import { startTestCollector } from "../test/support/collector";
import { postOtlp } from "../test/support/otlp";
import { measureCompare, postComparedRuns } from "./compare-measure";
import { syntheticPlumbingRun } from "./synthetic-plumbing-run";
import { syntheticRun } from "./synthetic-run";

const OPENS = 5;
const MOVES = 40;

async function main(): Promise<void> {
  if (!browserAvailable()) return;
  const collector = await startTestCollector();
  const browser = await launchBrowser();
  try {
    await postOtlp(collector.url, syntheticRun("bench-small", 50));
    await postOtlp(collector.url, syntheticRun("bench-large", 5000));
    await postOtlp(collector.url, syntheticPlumbingRun("bench-plumbing", 5000));
    const newPage = browser.context.newPage.bind(browser.context);
    const small = await measure(newPage, collector.url, "bench-small");
    const large = await measure(newPage, collector.url, "bench-large");
    const folded = await measure(newPage, collector.url, "bench-plumbing");
    const all = await measure(newPage, collector.url, "bench-plumbing?all=1");
    const compareSmall = await measureCompare(
      newPage,
      collector.url,
      await postComparedRuns(collector.url, 50),
    );
    const compareLarge = await measureCompare(
      newPage,
      collector.url,
      await postComparedRuns(collector.url, 1000),
    );
    const plumbing = `5,000 spans, mostly plumbing`;
    const rows = [
      row(`open a ${small.frames}-span run (baseline)`, small.openMs, null, null),
      row(`open a ${large.frames}-span run`, large.openMs, 1000, small.openMs),
      row(`open ${plumbing} (${folded.frames} frames)`, folded.openMs, 1000, small.openMs),
      row(`open ${plumbing}, shown (${all.frames} frames)`, all.openMs, 1000, small.openMs),
      row(`cursor move, ${small.frames} spans (baseline)`, small.moveMs, null, null),
      row(`cursor move, ${large.frames} spans`, large.moveMs, 50, small.moveMs),
      row(`cursor move p95, ${large.frames} spans`, large.moveP95Ms, 50, small.moveP95Ms),
      row(`cursor move, ${plumbing}`, folded.moveMs, 50, small.moveMs),
      row(`cursor move p95, ${plumbing}`, folded.moveP95Ms, 50, small.moveP95Ms),
      row(`cursor move, ${plumbing}, shown`, all.moveMs, 50, small.moveMs),
      row(`compare two 50-span runs, ${compareSmall.rows} steps (baseline)`, compareSmall.openMs, null, null),
      row(
        `compare two 1,000-span runs, ${compareLarge.rows} steps`,
        compareLarge.openMs,
        1000,
        compareSmall.openMs,
      ),
    ];
    console.log("\nDashboard replay (headless Chromium, medians)");
    console.table(rows);
  } finally {
    await browser.close();
    await collector.stop();
  }
}

function row(what: string, ms: number, targetMs: number | null, baselineMs: number | null) {
  return {
    what,
    ms: Number(ms.toFixed(1)),
    target: targetMs === null ? "" : `≤ ${targetMs} ms`,
    verdict: targetMs === null ? "" : ms <= targetMs ? "meets" : "MISSES",
    "× baseline": baselineMs ? Number((ms / baselineMs).toFixed(2)) : "",
  };
}

/** Opens `/runs/<path>` repeatedly, then moves the cursor; `frames` is what the player counts. */
async function measure(newPage: () => Promise<Page>, url: string, path: string) {
  const opens: number[] = [];
  let frames = 0;
  for (let i = 0; i < OPENS; i++) {
    const page = await newPage();
    const t0 = Date.now();
    await page.goto(`${url}/runs/${path}`);
    await page.locator("article.inspector").waitFor({ timeout: 30_000 });
    // Interactive: a key press is handled and painted.
    await moveOnce(page);
    opens.push(Date.now() - t0);
    frames = Number((await page.getByTestId("cursor-position").textContent())?.split("/")[1]?.trim());
    if (i < OPENS - 1) await page.close();
    else {
      const moves: number[] = [];
      for (let m = 0; m < MOVES; m++) moves.push(await moveOnce(page));
      await page.close();
      return { frames, openMs: median(opens), moveMs: median(moves), moveP95Ms: percentile(moves, 0.95) };
    }
  }
  throw new Error("unreachable");
}

/**
 * Presses → and resolves with the time until the new position is on screen (next frame painted).
 * Plain source text: the TypeScript runner's helpers do not exist inside the page.
 */
const MOVE_SCRIPT = `new Promise((resolve) => {
  const position = document.querySelector('[data-testid="cursor-position"]');
  const before = position && position.textContent;
  const t0 = performance.now();
  window.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
  const check = () => {
    if (position && position.textContent !== before) requestAnimationFrame(() => resolve(performance.now() - t0));
    else requestAnimationFrame(check);
  };
  check();
})`;

function moveOnce(page: Page): Promise<number> {
  return page.evaluate(MOVE_SCRIPT) as Promise<number>;
}

const median = (xs: number[]) => percentile(xs, 0.5);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
