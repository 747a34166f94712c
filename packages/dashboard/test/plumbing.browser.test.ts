import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { postOtlp } from "./support/otlp";
import { plumbingRun } from "./support/plumbing-run";

/**
 * Framework plumbing folded into the steps it belongs to, on hand-built runs (the store's own
 * mapping of each framework is tested in packages/collector; real framework runs in
 * framework-runs.browser.test.ts).
 */
describe.skipIf(!browserAvailable())("replay of runs with framework plumbing", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector();
    await postOtlp(collector.url, plumbingRun("graph-ok", Date.now() - 60_000, false));
    await postOtlp(collector.url, plumbingRun("graph-failed", Date.now() - 30_000, true));
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}${path}`);
    await page.locator("article.inspector").waitFor();
    return page;
  }
  const position = (page: Page) => page.getByTestId("cursor-position").textContent();
  const frameNames = (page: Page) =>
    page.locator(".waterfall .wf-name").evaluateAll((rows) => rows.map((r) => r.textContent));
  const atCursor = (page: Page) => page.locator("article.inspector h3").textContent();

  it("walks the steps and calls with the plumbing folded in, and shows it on demand", async () => {
    const page = await open("/runs/graph-ok");
    const steps = [
      "invoke_agent weather_agent",
      "agent",
      "ChatOpenAI",
      "tools",
      "weather",
      "agent",
      "ChatOpenAI",
    ];
    await expect.poll(() => frameNames(page)).toEqual(steps);
    expect(await position(page)).toBe("1 / 7");
    const toggle = page.getByRole("button", { name: "Show plumbing (5)" });
    expect(await page.locator(".wf-row[data-span-id] .wf-folded").first().textContent()).toBe("+1");

    await toggle.click();
    await expect.poll(() => page.url()).toContain("all=1");
    await expect
      .poll(() => frameNames(page))
      .toEqual([
        "invoke_agent weather_agent",
        "agent",
        "RunnableSequence",
        "ChatPromptTemplate",
        "ChatOpenAI",
        "shouldContinue",
        "tools",
        "ToolNode",
        "weather",
        "agent",
        "RunnableLambda",
        "ChatOpenAI",
      ]);
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    // The choice is in the link: a reload keeps the plumbing shown.
    await page.reload();
    await expect.poll(() => position(page)).toBe("1 / 12");
    await page.getByRole("button", { name: "Show plumbing (5)" }).click();
    await expect.poll(() => position(page)).toBe("1 / 7");
    expect(page.url()).not.toContain("all=1");
    await page.close();
  });

  it("moves with j and k, but not while a control takes the keys", async () => {
    const page = await open("/runs/graph-ok");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect.poll(() => position(page)).toBe("3 / 7");
    expect(await atCursor(page)).toBe("ChatOpenAI");
    await page.keyboard.press("k");
    await expect.poll(() => position(page)).toBe("2 / 7");
    expect(await atCursor(page)).toBe("agent");
    await page.getByRole("combobox", { name: "Playback speed" }).focus();
    await page.keyboard.press("j");
    await page.getByRole("combobox", { name: "Playback speed" }).blur();
    await page.keyboard.press("j");
    await expect.poll(() => position(page)).toBe("3 / 7");
    await page.close();
  });

  it("shows a failure the run recovered from on its span, and no error on the ok run", async () => {
    const page = await open("/runs/graph-ok");
    expect(await page.locator(".replay-head .status").first().textContent()).toBe("ok");
    expect(await page.locator(".run-error").count()).toBe(0);
    await page.locator(".wf-row.kind-tool", { hasText: "weather" }).click();
    const inspector = page.locator("article.inspector");
    await expect.poll(() => atCursor(page)).toBe("weather");
    expect(await inspector.locator(".inspector-head .status").textContent()).toBe("failed · recovered");
    expect(await inspector.locator(".failure-panel h4").textContent()).toContain("the run recovered from it");
    expect(await inspector.locator(".failure-panel").textContent()).toContain('"city": "Paris"');
    await page.close();
  });

  it("jumps to the deepest failure of a failed run, past the one it recovered from", async () => {
    const page = await open("/runs/graph-failed");
    expect(await page.locator(".run-error").textContent()).toContain("weather service down for Lyon");
    await page.getByRole("button", { name: "Jump to failure" }).click();
    await expect.poll(() => position(page)).toBe("7 / 7");
    const inspector = page.locator("article.inspector");
    expect(await atCursor(page)).toBe("weather");
    expect(await inspector.locator(".inspector-head .status").textContent()).toBe("error");
    expect(await inspector.locator(".failure-panel").textContent()).toContain('"city": "Lyon"');
    // With the plumbing shown the cause is the same span, at its own frame.
    await page.getByRole("button", { name: /Show plumbing/ }).click();
    await expect.poll(() => position(page)).toBe("12 / 12");
    await page.close();
  });
});
