import type { Page } from "playwright-core";
import { postOtlp } from "../test/support/otlp";
import { syntheticRun } from "./synthetic-run";

const OPENS = 5;

/** Posts two runs of `spanCount` spans that part at their middle step; returns the compare's path. */
export async function postComparedRuns(url: string, spanCount: number): Promise<string> {
  const steps = Math.ceil((spanCount - 1) / 3);
  const a = `bench-compare-${spanCount}-a`;
  const b = `bench-compare-${spanCount}-b`;
  await postOtlp(url, syntheticRun(a, spanCount));
  await postOtlp(url, syntheticRun(b, spanCount, undefined, Math.ceil(steps / 2)));
  return `/compare?a=${a}&b=${b}`;
}

/**
 * Median time from navigation to the compare rendered and painted: both runs fetched, aligned,
 * diffed, every step row in the DOM and the first divergence open.
 */
export async function measureCompare(newPage: () => Promise<Page>, url: string, path: string) {
  const opens: number[] = [];
  let rows = 0;
  for (let i = 0; i < OPENS; i++) {
    const page = await newPage();
    const t0 = Date.now();
    await page.goto(`${url}${path}`);
    await page.locator("tr[data-detail-of]").waitFor({ timeout: 30_000 });
    await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => resolve(null)))");
    opens.push(Date.now() - t0);
    rows = await page.locator("tr[data-row]").count();
    await page.close();
  }
  const sorted = [...opens].sort((x, y) => x - y);
  return { rows, openMs: sorted[Math.floor(sorted.length / 2)]! };
}
