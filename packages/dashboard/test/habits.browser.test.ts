import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { otlpRequest, postOtlp } from "./support/otlp";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/**
 * `habit-1`: two attempts; its one step calls a model the collector has no price for and a
 * tool that throws. `habit-2`: an ordinary run with a long ID.
 */
function habitRuns(): string[] {
  const t = Date.now() - 60_000;
  const base = (attempt: number) => ({ "flightrec.run.id": "habit-1", "flightrec.run.attempt": attempt });
  const root1 = hex(8);
  const root2 = hex(8);
  const step = hex(8);
  return [
    otlpRequest(hex(16), [
      {
        spanId: root1,
        name: "invoke_agent triage",
        startMs: t,
        endMs: t + 100,
        attributes: { ...base(1), "flightrec.span.kind": "run", "gen_ai.agent.name": "triage" },
        status: { code: 2, message: "first attempt failed" },
      },
    ]),
    otlpRequest(hex(16), [
      {
        spanId: root2,
        name: "invoke_agent triage",
        startMs: t + 1000,
        endMs: t + 1500,
        attributes: { ...base(2), "flightrec.span.kind": "run", "gen_ai.agent.name": "triage" },
      },
      {
        spanId: step,
        parentSpanId: root2,
        name: "lookup",
        startMs: t + 1010,
        endMs: t + 1400,
        attributes: {
          ...base(2),
          "flightrec.span.kind": "step",
          "flightrec.step.name": "lookup",
          "flightrec.step.index": 1,
        },
      },
      {
        parentSpanId: step,
        name: "chat local-llama",
        startMs: t + 1020,
        endMs: t + 1100,
        attributes: {
          ...base(2),
          "flightrec.span.kind": "llm",
          "gen_ai.request.model": "local-llama-unpriced",
          "gen_ai.usage.input_tokens": 50,
          "gen_ai.usage.output_tokens": 5,
        },
      },
      {
        parentSpanId: step,
        name: "execute_tool fetch_account",
        startMs: t + 1200,
        endMs: t + 1300,
        attributes: {
          ...base(2),
          "flightrec.span.kind": "tool",
          "gen_ai.tool.name": "fetch_account",
          "gen_ai.tool.call.arguments": JSON.stringify({ id: 7 }),
        },
        status: { code: 2, message: "account service timed out" },
      },
    ]),
    otlpRequest(hex(16), [
      {
        name: "invoke_agent nightly_report_generation",
        startMs: t + 2000,
        endMs: t + 2500,
        attributes: {
          "flightrec.run.id": "habit-2-0f9c1d2e-7a41-4b8e-9d55-3c2b1a0e9f87",
          "flightrec.span.kind": "run",
          "gen_ai.agent.name": "nightly_report_generation",
          "flightrec.cost.usd": 0.00213,
        },
      },
    ]),
  ];
}

/** A run whose tool error fails its step and the run too: one error, recorded at three spans. */
function smtpFailure(runId: string, to: string, at: number): string {
  const root = hex(8);
  const step = hex(8);
  const base = { "flightrec.run.id": runId };
  const error = { code: 2, message: `SMTP 550: mailbox unavailable for ${to}` };
  return otlpRequest(hex(16), [
    {
      spanId: root,
      name: "invoke_agent mailer",
      startMs: at,
      endMs: at + 300,
      attributes: { ...base, "flightrec.span.kind": "run", "gen_ai.agent.name": "mailer" },
      status: error,
    },
    {
      spanId: step,
      parentSpanId: root,
      name: "notify",
      startMs: at + 10,
      endMs: at + 250,
      attributes: {
        ...base,
        "flightrec.span.kind": "step",
        "flightrec.step.name": "notify",
        "flightrec.step.index": 1,
      },
      status: error,
    },
    {
      parentSpanId: step,
      name: "execute_tool send_email",
      startMs: at + 20,
      endMs: at + 200,
      attributes: { ...base, "flightrec.span.kind": "tool", "gen_ai.tool.name": "send_email" },
      status: error,
    },
  ]);
}

describe.skipIf(!browserAvailable())("dashboard habits", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    collector = await startTestCollector();
    for (const body of habitRuns()) await postOtlp(collector.url, body);
    await postOtlp(collector.url, smtpFailure("mail-1", "ann@example.com", Date.now() - 30_000));
    await postOtlp(collector.url, smtpFailure("mail-2", "bob@example.org", Date.now() - 20_000));
    launched = await launchBrowser({ width: 1024, height: 768 });
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  const open = async (path: string): Promise<Page> => {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}${path}`);
    return page;
  };

  it("fits the run list into 1024 px: whole headers and costs, readable attempts, a title, a clickable row", async () => {
    const page = await open("/");
    const row = page.locator('tr[data-run-id="habit-1"]');
    await row.waitFor();
    await expect.poll(() => page.title()).toBe("Runs · Flightrec");
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll(".runs-table th, .runs-table td.col-cost, .runs-table td.col-duration")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    expect(await row.locator(".col-steps").textContent()).toContain("2 attempts");
    expect(await row.locator(".col-cost").textContent()).toBe("unknown");
    expect(await row.locator(".col-cost").getAttribute("title")).toContain("No price known");
    // The full ID is on hover, and a click on a plain cell opens the run.
    const long = page.locator('tr[data-run-id^="habit-2"]');
    expect(await long.locator(".col-id").getAttribute("title")).toBe(
      "habit-2-0f9c1d2e-7a41-4b8e-9d55-3c2b1a0e9f87",
    );
    expect(await long.locator(".col-started").textContent()).toMatch(/ago$/);
    // A real click at the duration cell's middle: the cell itself has no link.
    const cell = (await row.locator(".col-duration").boundingBox())!;
    await page.mouse.click(cell.x + cell.width / 2, cell.y + cell.height / 2);
    await page.waitForURL(/\/runs\/habit-1/);
    await expect.poll(() => page.title()).toBe("triage · ok · Flightrec");
    await page.close();
  });

  it("shows a thrown tool's error and an unpriced model's cost as unknown", async () => {
    const page = await open("/runs/habit-1?step=1");
    const inspector = page.locator("article.inspector");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("step");
    await page.keyboard.press("j");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("llm");
    expect(await inspector.getByTestId("span-cost").textContent()).toBe("unknown");
    expect(await page.getByTestId("cost-so-far").textContent()).toBe("unknown");
    expect(await page.getByTestId("cost-so-far").getAttribute("title")).toBe(
      "No price known for local-llama-unpriced",
    );
    await page.keyboard.press("j");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("tool");
    const call = inspector.locator(".tool-call");
    expect(await call.textContent()).toContain("Threw");
    expect(await call.textContent()).toContain("account service timed out");
    expect(await call.textContent()).not.toContain("Result");
    await page.close();
  });

  it("says when a link names a span or step the run does not have", async () => {
    const page = await open("/runs/habit-1?span=deadbeef");
    expect(await page.getByTestId("cursor-problem").textContent()).toContain('no span "deadbeef"');
    await page.goto(`${collector.url}/runs/habit-1?step=7`);
    expect(await page.getByTestId("cursor-problem").textContent()).toContain('no step "7"');
    await page.close();
  });

  it("opens the shortcut help with ? and the search with /", async () => {
    const page = await open("/");
    await page.locator('tr[data-run-id="habit-1"]').waitFor();
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.textContent()).toContain("Search");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    // j / k move through the runs (newest first), Enter opens the highlighted one.
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    const active = page.locator("tr.row-active");
    expect(await active.count()).toBe(1);
    const id = await active.getAttribute("data-run-id");
    expect(id).toBe(await page.locator("tr[data-run-id]").first().getAttribute("data-run-id"));
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === `/runs/${encodeURIComponent(id!)}`);
    await page.goBack();
    await page.locator('tr[data-run-id="habit-1"]').waitFor();
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q");
    await page.close();
  });

  it("follows the system's dark mode and lets the toggle override it", async () => {
    const page = await launched.context.newPage();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${collector.url}/`);
    await page.locator('tr[data-run-id="habit-1"]').waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const panel = () =>
      page.evaluate(() => getComputedStyle(document.querySelector(".grid-table")!).backgroundColor);
    expect(await background()).toBe("rgb(17, 21, 28)");
    expect(await panel()).toBe("rgb(26, 32, 41)");
    // System → dark → light: the toggle's choice wins over the system's, and is remembered.
    const toggle = page.locator(".theme-toggle");
    await toggle.click();
    await toggle.click();
    expect(await toggle.getAttribute("aria-label")).toBe("Colour theme: light");
    expect(await background()).toBe("rgb(246, 247, 249)");
    await page.reload();
    await page.locator('tr[data-run-id="habit-1"]').waitFor();
    expect(await background()).toBe("rgb(246, 247, 249)");
    await page.locator(".theme-toggle").click();
    expect(await background()).toBe("rgb(17, 21, 28)");
    await page.close();
  });

  it("keeps the usage range in the URL and names one it does not know", async () => {
    const page = await open("/usage?range=24h");
    await page.getByRole("heading", { name: "Cost & usage" }).waitFor();
    expect(await page.locator("select").inputValue()).toBe("24h");
    await page.locator("select").selectOption("30d");
    await expect.poll(() => new URL(page.url()).search).toBe("?range=30d");
    await page.goto(`${collector.url}/usage?range=1y`);
    expect(await page.getByTestId("range-problem").textContent()).toContain('No range "1y"');
    await page.close();
  });

  it("counts each failed run once and groups the same problem across runs", async () => {
    const page = await open("/failures");
    const problem = page.getByTestId("problem").filter({ hasText: "SMTP" });
    await problem.waitFor();
    expect(await problem.locator(".problem-pattern").textContent()).toBe(
      "SMTP <n>: mailbox unavailable for <email>",
    );
    // Two runs, each failing once at its tool (not also at its step and run).
    expect(await problem.locator(".problem-count").textContent()).toBe("2 failures in 2 runs");
    const byName = page.locator("section.panel", { hasText: "By step / tool" });
    expect(await byName.textContent()).toContain("execute_tool send_email");
    expect(await byName.textContent()).not.toContain("notify");
    expect(await page.locator(".failure-item", { hasText: "mail-1" }).count()).toBe(1);
    // One problem alone, in the URL: a link (or a reload) shows the same view.
    expect(await page.locator(".failure-item").count()).toBeGreaterThan(2);
    await problem.getByRole("button", { name: "only these" }).click();
    await page.waitForURL(/[?&]problem=/);
    await expect.poll(() => page.locator(".failure-item").count()).toBe(2);
    expect(await page.locator(".failure-item").allTextContents()).toEqual([
      expect.stringContaining("SMTP"),
      expect.stringContaining("SMTP"),
    ]);
    const linked = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await linked.getByTestId("problem").first().waitFor();
    await expect.poll(() => linked.locator(".failure-item").count()).toBe(2);
    expect(await linked.locator(".problem-picked .problem-pattern").textContent()).toContain("SMTP");
    await linked.close();
    // A problem this store does not have is named, and every failure is shown under it.
    const unknown = await open("/failures?problem=Error%00no%20such%20thing%00send");
    expect(await unknown.getByTestId("problem-missing").textContent()).toContain(
      'No problem "Error · no such thing · send"',
    );
    expect(await unknown.locator(".failure-item").count()).toBeGreaterThan(2);
    await unknown.close();
    await problem.getByRole("link", { name: "latest →" }).click();
    await page.waitForURL(/\/runs\/mail-2\?span=/);
    await expect.poll(() => page.locator("article.inspector").getAttribute("data-kind")).toBe("tool");
    await page.close();
  });

  it("links run IDs in SQL results to their replay", async () => {
    const page = await open("/sql");
    await page.locator("textarea").fill("SELECT run_id, name FROM runs ORDER BY run_id");
    await page.getByRole("button", { name: /^Run/ }).click();
    const link = page.locator(".results a", { hasText: "habit-1" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe("/runs/habit-1");
    expect(await page.locator(".results a", { hasText: "triage" }).count()).toBe(0);
    await page.close();
  });
});
