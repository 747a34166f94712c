import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";

const TOKEN = "s3cret-token";

describe.skipIf(!browserAvailable())("dashboard states with a token-protected, empty collector", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector({ token: TOKEN });
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  it("takes the token from the URL once, drops it from the address bar and shows the empty state", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}/?token=${TOKEN}`);
    await page.getByText("No runs yet.").waitFor();
    expect(page.url()).toBe(`${collector.url}/`);
    await expect.poll(() => page.locator(".live").textContent()).toBe("● live");
    await page.goto(`${collector.url}/runs/nope`);
    expect(await page.getByRole("alert").textContent()).toContain('no run with ID "nope"');
    await page.close();
  });

  it("says why when the API refuses", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}/failures`);
    expect(await page.getByRole("alert").textContent()).toMatch(/Could not load failures\..*missing token/);
    await page.close();
  });
});
