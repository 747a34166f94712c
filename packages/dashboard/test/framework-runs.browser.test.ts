import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, type LaunchedBrowser, launchBrowser } from "./support/browser";
import { type ChatModelServer, startChatModelServer } from "./support/chat-model-server";
import { startTestCollector, type TestCollector } from "./support/collector";
import { runLangGraphAgent, runVercelAgent, WEATHER_SCRIPT } from "./support/weather-agents";

interface ApiRun {
  run_id: string;
  service: string | null;
  status: string;
}

/** The run a service sent, once the collector has it and it has ended. */
async function runOf(url: string, service: string): Promise<ApiRun> {
  for (let i = 0; i < 200; i++) {
    const { runs } = (await (await fetch(`${url}/api/runs`)).json()) as { runs: ApiRun[] };
    const run = runs.find((r) => r.service === service && r.status !== "running");
    if (run) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no finished run from ${service}`);
}

/**
 * The replay of runs recorded by the real frameworks: a LangGraph.js ReAct agent traced with
 * OpenInference's LangChain instrumentation, and a Vercel AI SDK tool loop with its telemetry
 * on, each against an OpenAI-compatible model on 127.0.0.1, exported over OTLP to the real
 * collector. Both call a weather tool that works and a forecast tool that throws, and recover.
 * The steps are the collector's: LangGraph's super-steps (its nodes), the AI SDK's loop iterations.
 */
describe.skipIf(!browserAvailable())("replay of LangGraph and Vercel AI SDK runs", () => {
  let collector: TestCollector;
  let model: ChatModelServer;
  let launched: LaunchedBrowser;
  let langGraph: ApiRun;
  let vercel: ApiRun;

  beforeAll(async () => {
    collector = await startTestCollector();
    model = await startChatModelServer(WEATHER_SCRIPT);
    await runLangGraphAgent(collector.url, model.baseURL);
    await runVercelAgent(collector.url, model.baseURL);
    langGraph = await runOf(collector.url, "langgraph-weather");
    vercel = await runOf(collector.url, "vercel-weather");
    launched = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
    await model?.close();
    await collector?.stop();
  });

  async function open(runId: string): Promise<Page> {
    const page = await launched.context.newPage();
    await page.goto(`${collector.url}/runs/${runId}`);
    await page.locator("article.inspector").waitFor();
    return page;
  }
  const position = (page: Page) => page.getByTestId("cursor-position").textContent();
  /** The waterfall's frames as "kind name". */
  const frames = (page: Page) =>
    page
      .locator(".waterfall .wf-row")
      .evaluateAll((rows) =>
        rows.map(
          (r) => `${r.querySelector(".kind-tag")?.textContent} ${r.querySelector(".wf-name")?.textContent}`,
        ),
      );
  const inspector = (page: Page) => page.locator("article.inspector");
  const atCursor = (page: Page) => inspector(page).locator("h3").textContent();

  /** Opens an ok run with no run error shown, at the failure Jump to failure finds. */
  async function openAtFailure(run: ApiRun): Promise<Page> {
    expect(run.status).toBe("ok");
    const page = await open(run.run_id);
    expect(await page.locator(".run-error").count()).toBe(0);
    await page.getByRole("button", { name: "Jump to failure" }).click();
    await expect.poll(() => inspector(page).getAttribute("data-kind")).toBe("tool");
    return page;
  }

  /** The frame at the cursor is the forecast tool's recovered failure, its input in the panel. */
  async function expectRecoveredForecast(page: Page, input: string): Promise<void> {
    expect(await inspector(page).locator(".inspector-head .status").textContent()).toBe("failed · recovered");
    const failure = inspector(page).locator(".failure-panel");
    expect(await failure.locator(".failure-message").textContent()).toContain("no forecast for Paris");
    const failingInput = await failure.locator(".json").first().textContent();
    expect(failingInput).toContain("Failing input");
    expect(failingInput).toContain(input);
  }

  it("walks a LangGraph run's super-steps, LangChain's plumbing folded into them until asked for", async () => {
    const page = await open(langGraph.run_id);
    expect(await page.locator(".replay-head h2").textContent()).toContain("weather_graph");
    const agent = ["step agent", "llm ChatOpenAI"];
    expect(await frames(page)).toEqual([
      "run weather_graph",
      ...agent,
      "step tools",
      "tool weather",
      ...agent,
      "step tools",
      "tool forecast",
      ...agent,
    ]);
    expect(await position(page)).toBe("1 / 11");

    const toggle = page.getByRole("button", { name: "Show plumbing (4)" });
    await toggle.click();
    await expect.poll(() => position(page)).toBe("1 / 15");
    expect(page.url()).toContain("all=1");
    const agentShown = [...agent, "other RunnableLambda"];
    expect(await frames(page)).toEqual([
      "run weather_graph",
      "other __start__",
      ...agentShown,
      "step tools",
      "tool weather",
      ...agentShown,
      "step tools",
      "tool forecast",
      ...agentShown,
    ]);
    await toggle.click();
    await expect.poll(() => position(page)).toBe("1 / 11");
    expect(page.url()).not.toContain("all=1");

    // j and k walk the steps and their calls.
    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("agent");
    expect(await inspector(page).locator(".inspector-head").textContent()).toContain("step 1");
    // The agent node's plumbing is listed in its step.
    expect(await inspector(page).locator(".folded-plumbing summary").textContent()).toContain("(1)");
    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("ChatOpenAI");
    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("tools");
    expect(await inspector(page).locator(".inspector-head").textContent()).toContain("step 2");
    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("weather");
    await page.keyboard.press("k");
    await expect.poll(() => atCursor(page)).toBe("tools");
    await page.close();
  });

  it("shows the LangGraph tool that threw as failed · recovered, with its input, and the run ok", async () => {
    const page = await openAtFailure(langGraph);
    expect(await atCursor(page)).toBe("forecast");
    expect(await inspector(page).locator(".failure-panel").textContent()).not.toContain(
      "No input was captured",
    );
    // OpenInference records a LangChain tool's input as its single argument's value.
    await expectRecoveredForecast(page, '"Paris"');
    await page.close();
  });

  it("walks a Vercel AI SDK run step by step: each loop iteration, its model call, its tool call", async () => {
    const page = await open(vercel.run_id);
    expect(await page.locator(".replay-head h2").textContent()).toContain("weather_agent");
    const model = "llm ai.generateText.doGenerate";
    expect(await frames(page)).toEqual([
      "run ai.generateText",
      "step weather",
      model,
      "tool weather",
      "step forecast",
      model,
      "tool forecast",
      "step answer",
      model,
    ]);
    expect(await position(page)).toBe("1 / 9");
    // The AI SDK sends no plumbing: every span is the run, a model call or a tool call.
    expect(await page.getByRole("button", { name: /Show plumbing/ }).count()).toBe(0);

    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("weather");
    expect(await inspector(page).getAttribute("data-kind")).toBe("step");
    expect(await inspector(page).locator(".inspector-head").textContent()).toContain("step 1");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect.poll(() => inspector(page).getAttribute("data-kind")).toBe("tool");
    expect(await inspector(page).locator(".tool-call").textContent()).toContain('"city": "Paris"');
    expect(await inspector(page).locator(".tool-call").textContent()).toContain('"sky": "sunny"');
    await page.keyboard.press("k");
    await expect.poll(() => inspector(page).getAttribute("data-kind")).toBe("llm");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect.poll(() => atCursor(page)).toBe("forecast");
    expect(await inspector(page).locator(".inspector-head").textContent()).toContain("step 2");
    await page.close();
  });

  it("shows the Vercel tool that threw as failed · recovered, with its arguments as the failing input", async () => {
    const page = await openAtFailure(vercel);
    expect(await atCursor(page)).toBe("forecast");
    await expectRecoveredForecast(page, '"city": "Paris"');
    await page.close();
  });
});
