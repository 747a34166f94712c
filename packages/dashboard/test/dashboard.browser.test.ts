import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCost } from "../src/format";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { startTestCollector, type TestCollector } from "./support/collector";
import { deadlineRun, interruptedRun, otlpRequest, postOtlp } from "./support/otlp";
import { seedRuns, XSS_PROMPT } from "./support/seed";

/** Routes from the query API contract that this collector build serves (older builds lack some). */
async function serves(url: string, method: "GET" | "POST", path: string): Promise<boolean> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: method === "POST" ? JSON.stringify({ sql: "SELECT 1" }) : undefined,
  });
  await res.body?.cancel();
  return res.status !== 404;
}

async function runFromApi(url: string, runId: string): Promise<{ status: string; cost_usd: number | null }> {
  const res = await fetch(`${url}/api/runs/${runId}`);
  if (!res.ok) throw new Error(`GET /api/runs/${runId}: ${res.status}`);
  return ((await res.json()) as { run: { status: string; cost_usd: number | null } }).run;
}

async function waitForStatus(url: string, runId: string, status: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await runFromApi(url, runId).catch(() => null))?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} never became ${status}`);
}

// The README's screenshots are refreshed on request (`pnpm --filter @flightrec/dashboard screenshots`);
// ordinary runs take them into a temporary directory, so a test run leaves the tree clean.
const SCREENSHOTS =
  process.env.FLIGHTREC_UPDATE_SCREENSHOTS === "1"
    ? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "screenshots")
    : mkdtempSync(join(tmpdir(), "flightrec-screenshots-"));

describe.skipIf(!browserAvailable())("dashboard in headless Chromium", () => {
  let collector: TestCollector;
  let launched: LaunchedBrowser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    // Short heartbeat windows so the collector's own verdict marks the killed run within a second.
    collector = await startTestCollector({
      interrupts: { defaultHeartbeatIntervalMs: 100, heartbeatMisses: 1, sweepIntervalMs: 50 },
    });
    await seedRuns(collector.url);
    await postOtlp(collector.url, interruptedRun("sales-killed-5", Date.now() - 60_000));
    await waitForStatus(collector.url, "sales-killed-5", "interrupted");
    launched = await launchBrowser();
    await launched.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: collector.url });
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await collector?.stop();
  });

  /** Everything the browser refused under the collector's Content-Security-Policy, on any page. */
  const cspViolations: string[] = [];
  const documentPolicies = new Set<string>();

  async function open(path: string): Promise<Page> {
    const page = await launched.context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const response = await page.goto(`${collector.url}${path}`);
    documentPolicies.add(response?.headers()["content-security-policy"] ?? "(none)");
    return page;
  }

  const position = (page: Page) => page.getByTestId("cursor-position").textContent();

  it("lists runs with status, cost and where an interrupted run stopped", async () => {
    const page = await open("/");
    const rows = page.locator("tr[data-run-id]");
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBe(6);
    const failed = page.locator('tr[data-run-id="ticket-fail-2"]');
    await expect.poll(() => failed.getAttribute("data-status")).toBe("error");
    expect(await failed.textContent()).toContain("SMTP 550");
    const okCost = (await runFromApi(collector.url, "ticket-ok-1")).cost_usd;
    expect(okCost).toBeGreaterThan(0);
    expect(await page.locator('tr[data-run-id="ticket-ok-1"]').textContent()).toContain(formatCost(okCost));
    const killed = await page.locator('tr[data-run-id="sales-killed-5"]').textContent();
    expect(killed).toMatch(/interrupted.*stopped at step 5 · send_email · last seen \d\d:\d\d:\d\d/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "runs.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SCREENSHOTS, "runs-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.close();
  });

  it("filters by status and searches by request ID, keeping the filter in the URL", async () => {
    const page = await open("/");
    await page.locator("tr[data-run-id]").first().waitFor();
    // click, not check(): the box follows the URL, which updates a moment after the click.
    await page.getByRole("checkbox", { name: "error" }).click();
    await expect.poll(() => page.url()).toContain("status=error");
    await expect
      .poll(() =>
        page.locator("tr[data-run-id]").evaluateAll((r) => r.map((e) => e.getAttribute("data-run-id"))),
      )
      .toEqual(["ticket-fail-2"]);
    await page.getByRole("checkbox", { name: "error" }).click();
    await expect.poll(() => page.url()).not.toContain("status=error");
    const ids = () =>
      page.locator("tr[data-run-id]").evaluateAll((r) => r.map((e) => e.getAttribute("data-run-id")));
    await page.getByRole("button", { name: "Cost" }).click();
    await expect.poll(() => page.url()).toContain("sort=cost_usd");
    await expect
      .poll(async () => (await ids()).slice(0, 3))
      .toEqual(["ticket-fail-2", "ticket-ok-1", "xss-4"]);
    await page.getByRole("button", { name: /^Cost/ }).click();
    await expect.poll(() => page.url()).toContain("order=asc");
    await expect.poll(async () => (await ids())[0]).toBe("xss-4");
    await page.getByRole("textbox", { name: "Model" }).fill("gpt-4o-mini");
    await expect.poll(() => page.url()).toContain("model=gpt-4o-mini");
    await expect
      .poll(() =>
        page.locator("tr[data-run-id]").evaluateAll((r) => r.map((e) => e.getAttribute("data-run-id"))),
      )
      .toEqual(["xss-4"]);
    await page.getByRole("textbox", { name: "Model" }).fill("");
    await expect.poll(() => page.url()).not.toContain("model=");
    await page.getByRole("searchbox", { name: "Search" }).fill("req-ticket-ok-1");
    await expect
      .poll(() =>
        page.locator("tr[data-run-id]").evaluateAll((r) => r.map((e) => e.getAttribute("data-run-id"))),
      )
      .toEqual(["ticket-ok-1"]);
    await page.close();
  });

  it("opens a run and steps through it with buttons and keys; the cursor is in the URL", async () => {
    const page = await open("/");
    await page.getByRole("link", { name: "triage_ticket" }).first().waitFor();
    await page.locator('tr[data-run-id="ticket-fail-2"] a').click();
    await page.getByTestId("run-id").filter({ hasText: "ticket-fail-2" }).waitFor();
    await expect.poll(() => position(page)).toBe("1 / 6");
    await page.getByRole("button", { name: "Next step" }).click();
    await expect.poll(() => position(page)).toBe("2 / 6");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => position(page)).toBe("3 / 6");
    await page.keyboard.press("ArrowLeft");
    await expect.poll(() => position(page)).toBe("2 / 6");
    await page.getByRole("button", { name: "Previous step" }).click();
    await expect.poll(() => position(page)).toBe("1 / 6");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => position(page)).toBe("3 / 6");
    expect(await page.locator("article.inspector h3").textContent()).toBe("classify");
    const link = page.url();
    expect(link).toMatch(/[?&]span=[0-9a-f]{16}/);

    const linked = await open(new URL(link).pathname + new URL(link).search);
    await expect.poll(() => position(linked)).toBe("3 / 6");
    await linked.close();
    await page.close();
  });

  it("shows the LLM conversation, the decision with its reasoning, tool arguments and cumulative cost", async () => {
    const page = await open("/runs/ticket-fail-2?step=2");
    const inspector = page.locator("article.inspector");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("step");
    const decision = inspector.locator(".decisions .decision");
    expect(await decision.locator(".decision-action").textContent()).toContain("→ escalate_to_billing");
    expect(await decision.locator(".decision-reasoning").textContent()).toBe(
      "the customer reports a double charge; billing owns refunds",
    );
    const details = await decision.locator(".decision-details").textContent();
    expect(details).toContain('"refundEur": 49');
    expect(details).toContain('"queue": "billing-eu"');
    expect(await page.getByTestId("cost-so-far").textContent()).toBe("$0");

    await page.keyboard.press("ArrowRight");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("llm");
    const chat = inspector.locator(".conversation");
    expect(await chat.locator('[data-role="system"]').textContent()).toContain("You label support tickets.");
    expect(await chat.locator('[data-role="user"]').textContent()).toContain("Label this ticket: My invoice");
    expect(await chat.locator('[data-role="assistant"]').textContent()).toContain("billing");
    expect(await inspector.textContent()).toContain("gpt-4o");
    // One LLM call so far: the cost so far is the whole run's.
    const runCost = (await runFromApi(collector.url, "ticket-fail-2")).cost_usd;
    expect(await page.getByTestId("cost-so-far").textContent()).toBe(formatCost(runCost));
    await page.screenshot({ path: join(SCREENSHOTS, "replay.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SCREENSHOTS, "replay-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });

    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("tool");
    expect(await inspector.locator(".tool-call").textContent()).toContain('"to": "billing@example.com"');
    await page.close();
  });

  it("jumps to the failure and copies the failing input as a test case", async () => {
    const page = await open("/runs/ticket-fail-2");
    await page.getByRole("button", { name: "Jump to failure" }).click();
    const panel = page.locator(".failure-panel");
    expect(await panel.locator(".failure-message").textContent()).toBe(
      "SMTP 550: mailbox unavailable for billing@example.com",
    );
    // The clipboard API needs the page to have focus; several pages share this browser.
    await page.bringToFront();
    await panel.getByRole("button", { name: "Copy as test case" }).click();
    await panel.getByText("Copied to clipboard.").waitFor();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied).toMatchObject({
      runId: "ticket-fail-2",
      requestId: "req-ticket-fail-2",
      kind: "tool",
      input: { to: "billing@example.com", subject: "Ticket ticket-fail-2: billing" },
      expectedError: { message: "SMTP 550: mailbox unavailable for billing@example.com" },
    });
    await page.close();
  });

  it("shows a failed step without the run's input posing as the step's", async () => {
    const page = await open("/runs/ticket-fail-2?step=3");
    const inspector = page.locator("article.inspector");
    await expect.poll(() => inspector.locator("h3").textContent()).toBe("notify");
    const panel = inspector.locator(".failure-panel");
    await panel.waitFor();
    expect(await panel.textContent()).toContain("No input was captured for this failure.");
    // The run's input is there, as the failure's context, and nowhere else.
    expect(await panel.locator(".json-label").allTextContents()).toEqual(["Context"]);
    expect(await inspector.locator(".json-label").allTextContents()).toEqual(["Context"]);
    await page.close();
  });

  it("shows where an interrupted run stopped", async () => {
    const page = await open("/runs/sales-killed-5");
    expect(await page.getByTestId("status-detail").textContent()).toMatch(
      /^stopped at step 5 · send_email · last seen \d\d:\d\d:\d\d$/,
    );
    await page.keyboard.press("End");
    // The spans the killed attempt left open were ended by the verdict: interrupted, not running.
    const interrupted = page.locator(".wf-row.st-interrupted");
    await expect.poll(() => interrupted.count()).toBe(2);
    expect(await interrupted.last().textContent()).toContain("send_email");
    expect(await page.locator(".wf-row.st-running").count()).toBe(0);
    const inspector = page.locator("article.inspector");
    await expect.poll(() => inspector.locator("h3").textContent()).toBe("send_email");
    expect(await inspector.locator(".status").textContent()).toBe("interrupted");
    await page.close();
  });

  it("renders markup in a prompt as text and runs none of it", async () => {
    const page = await open("/runs/xss-4");
    await page.locator(".wf-row.kind-llm").click();
    const user = page.locator('.conversation [data-role="user"] .chat-text');
    expect(await user.textContent()).toBe(XSS_PROMPT);
    expect(await page.locator(".conversation [data-role=assistant] .chat-text").textContent()).toBe(
      "<b>bold</b> reply",
    );
    expect(await page.locator('img[src="x"], .conversation script, .conversation b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("groups failures by error type and by step/tool, each linking to its replay step", async (ctx) => {
    if (!(await serves(collector.url, "GET", "/api/failures")))
      ctx.skip("this collector has no GET /api/failures");
    const page = await open("/failures");
    const byType = page.locator("section.panel", { hasText: "By error type" });
    await byType.getByRole("button").first().waitFor();
    expect(await byType.textContent()).toContain("Error");
    const byName = page.locator("section.panel", { hasText: "By step / tool" });
    expect(await byName.textContent()).toContain("execute_tool send_email");
    // The tool failed, and so did the step it was in: one error, listed once at the tool.
    await page.locator(".failure-item a", { hasText: /ticket-fail-2.*execute_tool send_email/ }).click();
    const inspector = page.locator("article.inspector");
    await expect.poll(() => inspector.getAttribute("data-kind")).toBe("tool");
    expect(await inspector.locator(".failure-message").textContent()).toContain("SMTP 550");
    // An interruption's message begins with its type: said once, never "interrupted: interrupted: …".
    await page.goBack();
    const killed = page.locator(".failure-item", { hasText: "sales-killed-5" });
    await killed.waitFor();
    expect(await killed.locator(".error-text").locator("..").textContent()).toMatch(
      /^interrupted: (?!interrupted)/,
    );
    const pattern = page.locator(".problem-pattern", { hasText: "interrupted" }).first();
    expect(await pattern.textContent()).toMatch(/^interrupted: (?!interrupted)/);
    await page.close();
  });

  it.each([
    ["/failures", "failures", ".failure-item"],
    ["/usage", "usage", ".recharts-surface"],
    ["/sql", "sql", "aside.schema summary"],
  ])("shows %s in light and dark (screenshots)", async (path, name, ready) => {
    const page = await open(path);
    await page.locator(ready).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    await page.emulateMedia({ colorScheme: "dark" });
    // Dark follows the system: the page background changes, not just the screenshot's name.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
      "rgb(17, 21, 28)",
    );
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-dark.png`) });
    await page.close();
  });

  it("charts cost and usage with latency by model and tool", async (ctx) => {
    if (!(await serves(collector.url, "GET", "/api/stats"))) ctx.skip("this collector has no GET /api/stats");
    const page = await open("/usage");
    const byModel = page.getByRole("table", { name: "Usage by model" });
    await byModel.waitFor();
    expect(await byModel.textContent()).toContain("gpt-4o");
    expect(await page.getByRole("table", { name: "Usage by tool" }).textContent()).toMatch(/send_email/);
    expect(await page.locator(".recharts-surface").count()).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it("runs a read-only SQL query, exports it, and explains a rejected one", async (ctx) => {
    if (!(await serves(collector.url, "POST", "/api/sql"))) ctx.skip("this collector has no POST /api/sql");
    const page = await open("/sql");
    await page.locator("aside.schema summary", { hasText: "decisions" }).waitFor();
    const editor = page.getByRole("textbox", { name: "SQL query" });
    await editor.fill(
      "SELECT step, action, reasoning FROM decisions WHERE run_id = 'ticket-fail-2' ORDER BY ts;",
    );
    await page.getByRole("button", { name: "Run query" }).click();
    const result = page.getByRole("region", { name: "Query result" });
    await result.waitFor();
    expect(await page.getByTestId("sql-summary").textContent()).toMatch(/^1 row/);
    expect(await result.locator("td").allTextContents()).toEqual([
      "2",
      "escalate_to_billing",
      "the customer reports a double charge; billing owns refunds",
    ]);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    expect((await download).suggestedFilename()).toBe("flightrec-query.csv");

    // Recorded text that a spreadsheet would run as a formula is exported as text.
    await editor.fill(`SELECT '=HYPERLINK("http://evil.example","open")' AS cell, -1 AS n`);
    await page.getByRole("button", { name: "Run query" }).click();
    await expect.poll(() => page.getByTestId("sql-summary").textContent()).toMatch(/^1 row/);
    const formula = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    expect(readFileSync((await (await formula).path())!, "utf8")).toBe(
      `cell,n\r\n"'=HYPERLINK(""http://evil.example"",""open"")",-1\r\n`,
    );

    await editor.fill("DELETE FROM runs");
    await page.getByRole("button", { name: "Run query" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/read-only|not allowed|only/i);

    // A typo is a syntax error, not a forbidden statement.
    await editor.fill("SELEC 1");
    await page.getByRole("button", { name: "Run query" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/SQL syntax error near "SELEC"/);
    await page.close();
  });

  it("shows a new run without a reload", async () => {
    const page = await open("/");
    await page.locator("tr[data-run-id]").first().waitFor();
    if (await serves(collector.url, "GET", "/api/events")) {
      await expect.poll(() => page.locator(".live").textContent()).toBe("● live");
    }
    await postOtlp(collector.url, interruptedRun("arrived-later-6", Date.now()));
    await page.locator('tr[data-run-id="arrived-later-6"]').waitFor({ timeout: 8000 });
    // Still live: the row came over the (gzip) event stream, not from polling after it broke.
    if (await serves(collector.url, "GET", "/api/events")) {
      expect(await page.locator(".live").textContent()).toBe("● live");
    }
    await page.close();
  });

  it("fits a narrow window without sideways scrolling", async () => {
    const page = await open("/runs/ticket-fail-2?step=3");
    await page.setViewportSize({ width: 400, height: 800 });
    await page.locator("article.inspector .failure-panel").waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${collector.url}/`);
    await page.locator("tr[data-run-id]").first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("shows a resumed run's attempts and the step replayed from its checkpoint", async () => {
    const page = await open("/runs/resumed-6");
    await page.getByTestId("run-id").waitFor();
    expect(await page.locator(".replay-head").textContent()).toMatch(/Attempts\s*2/);
    expect(await page.locator(".wf-row.kind-run").allTextContents()).toEqual([
      expect.not.stringContaining("attempt"),
      expect.stringContaining("attempt 2"),
    ]);
    const replayed = page.locator(".wf-row", { hasText: "replayed" });
    expect(await replayed.count()).toBe(1);
    expect(await replayed.textContent()).toContain("fetch_orders");
    await page.close();
  });

  it("plays the run at the chosen speed and stops at the end; space pauses", async () => {
    const page = await open("/runs/ticket-ok-1");
    await expect.poll(() => position(page)).toBe("1 / 6");
    await page.getByRole("combobox", { name: "Playback speed" }).selectOption("8");
    await page.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => position(page)).toBe("6 / 6");
    await page.getByRole("button", { name: "Play" }).waitFor();
    await page.getByRole("button", { name: "Previous step" }).click();
    await page.getByRole("button", { name: "Previous step" }).click();
    await page.getByRole("combobox", { name: "Playback speed" }).selectOption("0.5");
    await page.locator("body").press(" ");
    await page.getByRole("button", { name: "Pause" }).waitFor();
    await page.locator("body").press(" ");
    await page.getByRole("button", { name: "Play" }).waitFor();
    // At 0.5× a frame lasts 2 s; a slow machine may let one pass before the pause lands.
    expect(["4 / 6", "5 / 6"]).toContain(await position(page));
    await page.close();
  });

  it("follows a growing run when the cursor is on its last frame", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const base = { "flightrec.run.id": "growing-8", "flightrec.span.kind": "step" };
    const now = Date.now();
    const stepSpan = (i: number) => ({
      spanId: `00f067aa0ba902b${i}`,
      parentSpanId: "00f067aa0ba902b0",
      name: `poll_${i}`,
      startMs: now + i * 10,
      endMs: now + i * 10 + 5,
      attributes: { ...base, "flightrec.step.index": i, "flightrec.step.name": `poll_${i}` },
    });
    const root = {
      spanId: "00f067aa0ba902b0",
      name: "invoke_agent watcher",
      startMs: now,
      attributes: {
        "flightrec.run.id": "growing-8",
        "flightrec.span.kind": "run",
        "flightrec.span.pending": true,
      },
    };
    await postOtlp(collector.url, otlpRequest(traceId, [root, stepSpan(1)]));
    const page = await open("/runs/growing-8");
    await expect.poll(() => position(page)).toBe("1 / 2");
    await page.keyboard.press("End");
    await expect.poll(() => position(page)).toBe("2 / 2");
    await postOtlp(collector.url, otlpRequest(traceId, [stepSpan(2)]));
    await expect.poll(() => position(page), { timeout: 8000 }).toBe("3 / 3");
    expect(await page.locator("article.inspector h3").textContent()).toBe("poll_2");
    await page.close();
  });

  it("says a run its deadline stopped stopped before the step it did not start, as the SDK does", async () => {
    await postOtlp(collector.url, deadlineRun("deadline-9", Date.now() - 30_000));
    await waitForStatus(collector.url, "deadline-9", "interrupted");
    const page = await open("/");
    const row = page.locator('tr[data-run-id="deadline-9"]');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/stopped before step 5 · send_email · last seen/);
    await row.locator("a").click();
    await expect
      .poll(() => page.getByTestId("status-detail").textContent())
      .toMatch(/^stopped before step 5 · send_email · last seen \d\d:\d\d:\d\d$/);
    await page.close();
  });

  it("cannot be framed by a page of another origin", async () => {
    const foreign: Server = createServer((_, res) => {
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><iframe id="victim" src="${collector.url}/"></iframe>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    const page = await launched.context.newPage();
    try {
      const { port } = foreign.address() as { port: number };
      await page.goto(`http://127.0.0.1:${port}/`);
      const frame = await (await page.locator("#victim").elementHandle())!.contentFrame();
      await frame!.waitForLoadState("load");
      // Framed, the dashboard's page would hold its #root; the browser shows an error page instead.
      expect(await frame!.locator("#root").count()).toBe(0);
    } finally {
      await page.close();
      foreign.close();
    }
  });

  it("ran every page above under the collector's Content-Security-Policy, without a violation", () => {
    expect([...documentPolicies]).toEqual([expect.stringContaining("frame-ancestors 'none'")]);
    expect(cspViolations).toEqual([]);
  });
});
