import { describe, expect, it } from "vitest";
import type { RunRow } from "../api/schemas";
import { applyRunEvent, applyRunView, runQueryParams, runViewFromSearch, upsertRun } from "./run-view";

function run(over: Partial<RunRow> & { run_id: string }): RunRow {
  return {
    name: "agent",
    status: "ok",
    started_at: "2026-01-01T00:00:00.000Z",
    ended_at: null,
    duration_ms: 10,
    current_step: null,
    current_step_name: null,
    steps: 1,
    attempts: 1,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    error: null,
    request_id: null,
    service: null,
    last_seen_at: null,
    updated_at: null,
    ...over,
  };
}

describe("run view", () => {
  it("reads the URL with defaults and rejects unknown sorts", () => {
    const view = runViewFromSearch(new URLSearchParams("status=error,interrupted&sort=bogus&order=asc&q=x"));
    expect(view).toMatchObject({
      status: ["error", "interrupted"],
      sort: "started_at",
      order: "asc",
      q: "x",
    });
  });

  it("builds API parameters, leaving defaults out", () => {
    const view = runViewFromSearch(new URLSearchParams("status=ok&minCost=0.5&sort=cost_usd"));
    expect(runQueryParams(view)).toEqual({ status: "ok", minCost: "0.5", sort: "cost_usd" });
    expect(runQueryParams(runViewFromSearch(new URLSearchParams()))).toEqual({});
  });

  it("sends the time range as ISO UTC, read as local time like the date inputs", () => {
    const view = runViewFromSearch(new URLSearchParams("from=2026-01-01T10:00&to=bad"));
    expect(runQueryParams(view)).toEqual({ from: new Date("2026-01-01T10:00").toISOString(), to: "bad" });
  });

  it("filters by status, name, cost and search text, then sorts", () => {
    const runs = [
      run({ run_id: "a", status: "error", error: "SMTP 550", cost_usd: 0.2 }),
      run({ run_id: "b", status: "ok", cost_usd: 1 }),
      run({ run_id: "c", status: "error", cost_usd: 2, request_id: "req-9" }),
    ];
    const view = runViewFromSearch(new URLSearchParams("status=error&sort=cost_usd"));
    expect(applyRunView(runs, view).map((r) => r.run_id)).toEqual(["c", "a"]);
    expect(applyRunView(runs, runViewFromSearch(new URLSearchParams("q=smtp"))).map((r) => r.run_id)).toEqual(
      ["a"],
    );
    expect(
      applyRunView(runs, runViewFromSearch(new URLSearchParams("q=REQ-9"))).map((r) => r.run_id),
    ).toEqual(["c"]);
    expect(
      applyRunView(runs, runViewFromSearch(new URLSearchParams("minCost=1"))).map((r) => r.run_id),
    ).toEqual(["b", "c"]);
  });

  it("filters the way the server does: a name exactly, and no cost is not a cost of 0", () => {
    // Live updates are filtered here and pages by the server; the two must keep the same runs.
    const runs = [
      run({ run_id: "a", name: "analyze_sales", cost_usd: null }),
      run({ run_id: "b", name: "analyze_sales_v2", cost_usd: 0 }),
    ];
    const by = (search: string) =>
      applyRunView(runs, runViewFromSearch(new URLSearchParams(search))).map((r) => r.run_id);
    expect(by("name=analyze_sales")).toEqual(["a"]);
    expect(by("name=sales")).toEqual([]);
    expect(by("minCost=0")).toEqual(["b"]);
  });

  it("sorts empty values last in both orders", () => {
    const runs = [
      run({ run_id: "a", cost_usd: null }),
      run({ run_id: "b", cost_usd: 1 }),
      run({ run_id: "c", cost_usd: 2 }),
    ];
    const asc = runViewFromSearch(new URLSearchParams("sort=cost_usd&order=asc"));
    expect(applyRunView(runs, asc).map((r) => r.run_id)).toEqual(["b", "c", "a"]);
  });

  it("upserts a changed run", () => {
    const runs = [run({ run_id: "a" }), run({ run_id: "b" })];
    expect(upsertRun(runs, run({ run_id: "b", status: "error" }))[1]?.status).toBe("error");
    expect(upsertRun(runs, run({ run_id: "z" })).map((r) => r.run_id)).toEqual(["z", "a", "b"]);
  });
});

describe("applyRunEvent", () => {
  const data = {
    pages: [
      { runs: [run({ run_id: "a" })], nextCursor: "c1" },
      { runs: [run({ run_id: "b" })], nextCursor: null },
    ],
    pageParams: [null, "c1"],
  };

  it("replaces a run where it is, in any page", () => {
    const next = applyRunEvent(data, run({ run_id: "b", status: "error" }));
    expect(next?.pages[1]?.runs[0]?.status).toBe("error");
    expect(next?.pages[0]?.runs.map((r) => r.run_id)).toEqual(["a"]);
  });

  it("adds a new run to the first page and leaves an empty cache alone", () => {
    expect(applyRunEvent(data, run({ run_id: "new" }))?.pages[0]?.runs.map((r) => r.run_id)).toEqual([
      "new",
      "a",
    ]);
    expect(applyRunEvent(undefined, run({ run_id: "x" }))).toBeUndefined();
  });
});
