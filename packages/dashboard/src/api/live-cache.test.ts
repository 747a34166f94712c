import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyLiveRun, catchUpAfterConnect } from "./live-cache";
import type { RunList, RunRow } from "./schemas";

const row = (run_id: string, status: RunRow["status"]): RunRow =>
  ({ run_id, status, name: "job", started_at: "2026-12-03T10:00:00.000Z" }) as RunRow;

function seeded(): QueryClient {
  const client = new QueryClient();
  const page: RunList = { runs: [row("a", "running")], nextCursor: null };
  client.setQueryData(["runs", {}], { pages: [page], pageParams: [undefined] });
  client.setQueryData(["run", "a"], { run: row("a", "running") });
  return client;
}

const stale = (client: QueryClient, key: unknown[]) => client.getQueryState(key)?.isInvalidated;

describe("the live cache", () => {
  it("marks every run list and replay stale when the stream (re)connects", () => {
    // A client the collector dropped for falling behind missed the events sent meanwhile.
    const client = seeded();
    expect(stale(client, ["runs", {}])).toBe(false);
    catchUpAfterConnect(client);
    expect(stale(client, ["runs", {}])).toBe(true);
    expect(stale(client, ["run", "a"])).toBe(true);
  });

  it("puts a changed run into the lists at once and refetches only its replay", () => {
    const client = seeded();
    client.setQueryData(["run", "b"], { run: row("b", "ok") });
    applyLiveRun(client, row("a", "ok"));
    const list = client.getQueryData<{ pages: RunList[] }>(["runs", {}]);
    expect(list?.pages[0]?.runs[0]?.status).toBe("ok");
    expect(stale(client, ["run", "a"])).toBe(true);
    expect(stale(client, ["run", "b"])).toBe(false);
  });
});
