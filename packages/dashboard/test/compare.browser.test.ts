import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { init, shutdown } from "@flightrec/sdk";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { screenshotPath } from "./support/screenshots";
import { tripAgent } from "./support/trip-agent";

const MARKUP_CITY = "Atlantis <img src=x onerror=alert(1)>";

/** The trip agent in a process of its own, "in production" (its resource says so). */
function agentProcess(url: string, runId: string, city: string, hangInStep?: number) {
  const script = fileURLToPath(new URL("./support/trip-agent-process.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", script, url, runId, city, String(hangInStep ?? "")],
    {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      env: { ...process.env, OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const printed = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (output.includes(line) ? resolve() : undefined);
      child.stdout?.on("data", check);
      void exited.then(() =>
        output.includes(line) ? resolve() : reject(new Error(`agent exited:\n${output}`)),
      );
    });
  return { child, exited, printed, output: () => output };
}

async function runStatus(url: string, runId: string): Promise<string | null> {
  const res = await fetch(`${url}/api/runs/${runId}`);
  return res.ok ? ((await res.json()) as { run: { status: string } }).run.status : null;
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} never happened`);
}

/** Kills the agent with SIGKILL inside step 3, waits for the verdict, resumes it here. */
async function killedAndResumed(url: string, runId: string): Promise<void> {
  const agent = agentProcess(url, runId, "Paris", 3);
  await agent.printed("inside step 3");
  await eventually("step 3's placeholder", async () => {
    const res = await fetch(`${url}/api/runs/${runId}`);
    const detail = (await res.json()) as { spans: { step_index: number | null }[] };
    return res.ok && detail.spans.some((s) => s.step_index === 3);
  });
  (agent.child as ChildProcess).kill("SIGKILL");
  await agent.exited;
  await eventually("the interrupted verdict", async () => (await runStatus(url, runId)) === "interrupted");
  await tripAgent(runId, "Paris", { resume: true });
}

describe.skipIf(!browserAvailable())("compare in headless Chromium", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    collector = await startTestCollector({
      interrupts: { defaultHeartbeatIntervalMs: 100, heartbeatMisses: 1, sweepIntervalMs: 50 },
    });
    init({ endpoint: collector.url, serviceName: "trip-planner", exportIntervalMs: 50 });
    await tripAgent("trip-ok", "Paris");
    const failing = agentProcess(collector.url, "trip-fail", MARKUP_CITY);
    await failing.exited;
    expect(failing.output()).toContain("failed: unknown city");
    await killedAndResumed(collector.url, "trip-killed");
    await shutdown();
    await eventually(
      "the resumed run to finish",
      async () => (await runStatus(collector.url, "trip-killed")) === "ok",
    );
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  async function open(path: string): Promise<Page> {
    const page = await launched.context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${collector.url}${path}`);
    return page;
  }

  /** Each step row: its label, whether it diverges, and what makes it diverge. */
  const stepRows = (page: Page) =>
    page
      .locator("tr[data-row]")
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.getAttribute("data-step"),
          r.getAttribute("data-diverges"),
          r.querySelector("td:last-child .differs")?.textContent ?? "",
        ]),
      );

  it("compares a run that worked with one that failed on other input: picked in the list, landing on step 3", async () => {
    const page = await open("/");
    await page.locator("tr[data-run-id]").first().waitFor();
    await page.getByRole("checkbox", { name: "Pick trip-ok to compare" }).check();
    await page.getByRole("checkbox", { name: "Pick trip-fail to compare" }).check();
    await page.getByRole("button", { name: "Compare 2 runs" }).click();
    await page.locator(".compare[data-ready]").waitFor();
    expect(new URL(page.url()).search).toBe("?a=trip-ok&b=trip-fail");

    expect(await page.getByTestId("first-divergence").textContent()).toBe(
      "First divergence: step 3 · geocode (status, output, error)",
    );
    expect(await stepRows(page)).toEqual([
      ["1 · load_config", "false", ""],
      ["2 · choose_model", "false", ""],
      ["3 · geocode", "true", "status, output, error"],
      ["4 · forecast", "true", "step"],
    ]);
    // Landed on it: step 3 is open, with what each side did.
    const detail = page.locator("tr[data-detail-of='2']");
    expect(await detail.locator("tr[data-field=error] td").allTextContents()).toEqual([
      "—",
      `unknown city: ${MARKUP_CITY}`,
    ]);
    const runFields = page.locator("section[aria-labelledby=compare-run] tr[data-field]");
    expect(await runFields.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-field")))).toContain(
      "input",
    );
    expect(await page.locator("section[aria-labelledby=compare-run]").textContent()).toContain(MARKUP_CITY);
    // The failing run ran "in production": its environment says so.
    const environment = page.locator("table.environment tr.diverges");
    expect(await environment.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual([
      "deployment.environment.name",
    ]);
    expect(await page.locator("table.environment tr[data-key='host.name']").count()).toBe(1);
    await page.screenshot({ path: screenshotPath("compare.png") });

    // Elsewhere, then back to the first divergence.
    await page.getByRole("button", { name: "1 · load_config" }).click();
    expect(await page.locator("tr[data-detail-of='2']").count()).toBe(0);
    await page.getByRole("button", { name: "Jump to first divergence" }).click();
    expect(await page.getByRole("button", { name: "3 · geocode" }).getAttribute("aria-expanded")).toBe(
      "true",
    );
    expect(await page.evaluate(() => document.querySelectorAll(".compare img").length)).toBe(0);
    expect(dialogs).toEqual([]);
    // In the system's dark mode the tables are dark too.
    await page.emulateMedia({ colorScheme: "dark" });
    const background = () =>
      page.locator("table.step-diffs").evaluate((table) => getComputedStyle(table).backgroundColor);
    expect(await background()).not.toBe("rgb(255, 255, 255)");
    await page.screenshot({ path: screenshotPath("compare-dark.png") });
    await page.close();
  });

  it("compares a killed and resumed run's two attempts from its replay", async () => {
    const page = await open("/runs/trip-killed");
    await page.getByRole("link", { name: "Compare attempt 1 with attempt 2" }).click();
    await page.locator(".compare[data-ready]").waitFor();
    expect(new URL(page.url()).search).toBe("?a=trip-killed&b=trip-killed&attemptA=1&attemptB=2");
    expect(await page.getByTestId("first-divergence").textContent()).toBe(
      "First divergence: step 3 · geocode (status, output, error)",
    );
    // Steps 1 and 2 were replayed from their checkpoints: the same results, not a divergence.
    expect(await stepRows(page)).toEqual([
      ["1 · load_config", "false", ""],
      ["2 · choose_model", "false", ""],
      ["3 · geocode", "true", "status, output, error"],
      ["4 · forecast", "true", "step"],
    ]);
    expect(await page.locator("tr[data-row='0'] .status").allTextContents()).toEqual(["ok", "replayed"]);
    expect(await page.locator("tr[data-row='0'] .other-differences").textContent()).toBe("status");
    const step3 = page.locator("tr[data-row='2'] .status");
    expect(await step3.allTextContents()).toEqual(["interrupted", "ok"]);
    const error = await page.locator("tr[data-detail-of='2'] tr[data-field=error] td").first().textContent();
    expect(error).toMatch(/^interrupted: /);
    const environment = page.locator("table.environment tr.diverges");
    expect(await environment.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")))).toEqual([
      "deployment.environment.name",
    ]);
    await page.close();
  });

  it("names what it cannot compare instead of guessing", async () => {
    const page = await open("/compare?a=trip-killed&b=trip-killed&attemptB=7");
    expect(await page.getByRole("alert").textContent()).toContain(
      'B: run "trip-killed" has no attempt 7 (it has 2 attempts)',
    );
    await page.goto(`${collector.url}/compare?a=trip-ok&attemptA=x`);
    const alert = await page.getByRole("alert").textContent();
    expect(alert).toContain('"b" names no run');
    expect(alert).toContain('"attemptA" must be an attempt number (1, 2, …), got "x"');
    await page.close();
  });
});
