import { cpSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@flightrec/collector";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { DASHBOARD_DIST } from "./support/collector";
import { otlpRequest, postOtlp } from "./support/otlp";

/**
 * The dashboard when the collector goes away and comes back, and when the dashboard it serves
 * changed under an open tab. The collector serves a copy of the build, so a chunk can be taken
 * away for real; it is stopped and started again on the same port and store.
 */
describe.skipIf(!browserAvailable())("dashboard with a collector that goes away", () => {
  const dir = mkdtempSync(join(tmpdir(), "flightrec-resilience-"));
  const dashboardDir = join(dir, "dashboard");
  const db = join(dir, "store.db");
  let server: RunningServer;
  let url: string;
  let launched: LaunchedBrowser;

  const start = async (port: number) => {
    server = await startServer({ db, host: "127.0.0.1", port, dashboardDir });
    url = server.url;
  };

  beforeAll(async () => {
    cpSync(DASHBOARD_DIST, dashboardDir, { recursive: true });
    await start(0);
    const now = Date.now();
    for (const runId of ["steady-1", "steady-2"]) {
      await postOtlp(
        url,
        otlpRequest(`${runId === "steady-1" ? "a" : "b"}${"0".repeat(31)}`, [
          {
            name: "invoke_agent steady",
            startMs: now - 5000,
            endMs: now - 4000,
            attributes: {
              "flightrec.run.id": runId,
              "flightrec.span.kind": "run",
              "gen_ai.agent.name": "steady",
            },
          },
        ]),
      );
    }
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nav = (page: Page, name: string) => page.getByRole("navigation").getByRole("link", { name });

  it("keeps the last runs under a stale banner, keeps navigation alive, and recovers by itself", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${url}/`);
    await page.locator('tr[data-run-id="steady-2"]').waitFor();
    const port = Number(new URL(url).port);

    await server.close();
    const banner = page.getByTestId("connection-banner");
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/Cannot reach the collector\..*Showing data from \d+ s ago/);
    // The last data stays, and no count claims to be current.
    expect(await page.locator("tr[data-run-id]").count()).toBe(2);
    expect(await page.locator(".page-head").textContent()).not.toContain("shown");

    // A page whose code is not loaded yet cannot load now: it says so inside the page frame.
    await nav(page, "SQL").click();
    const loadError = page.getByTestId("page-load-error");
    await loadError.waitFor();
    expect(await loadError.textContent()).toContain("The collector does not answer");
    expect(await page.getByRole("button", { name: "Reload" }).count()).toBe(1);
    // Navigation still works, and so does Back.
    await nav(page, "Runs").click();
    await page.locator('tr[data-run-id="steady-1"]').waitFor();
    await page.goBack();
    await loadError.waitFor();

    await start(port);
    // No reload: the SQL page's code loads once the collector answers, and the banner goes.
    await page.getByRole("heading", { name: "SQL" }).waitFor({ timeout: 15_000 });
    await banner.waitFor({ state: "detached", timeout: 15_000 });
    await nav(page, "Runs").click();
    await expect
      .poll(() => page.locator(".page-head").textContent(), { timeout: 10_000 })
      .toContain("2 shown");
    await page.close();
  });

  it("offers a reload when the dashboard was updated under an open tab", async () => {
    const page = await launched.context.newPage();
    await page.goto(`${url}/`);
    await page.locator('tr[data-run-id="steady-1"]').waitFor();
    // A new build replaced the chunk names this tab knows.
    const assets = join(dashboardDir, "assets");
    const chunk = readdirSync(assets).find((f) => f.startsWith("usage-page-"))!;
    renameSync(join(assets, chunk), join(dir, chunk));

    await nav(page, "Cost & usage").click();
    const loadError = page.getByTestId("page-load-error");
    await loadError.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => loadError.textContent(), { timeout: 15_000 })
      .toContain("dashboard was probably updated");
    expect(await nav(page, "Failures").isVisible()).toBe(true);

    renameSync(join(dir, chunk), join(assets, chunk));
    await page.getByRole("button", { name: "Reload" }).click();
    await page.getByRole("heading", { name: "Cost & usage" }).waitFor();
    await page.close();
  });
});
