import { describe, expect, it } from "vitest";
import { RunChangeFeed } from "./run-changes.js";

describe("RunChangeFeed", () => {
  it("tells every listener, also after one throws, and stops telling one that unsubscribed", () => {
    const feed = new RunChangeFeed();
    const heard: string[][] = [];
    feed.subscribe(() => {
      throw new Error("broken view");
    });
    const stop = feed.subscribe((ids) => heard.push([...ids]));
    feed.emit(["a", "b"]);
    stop();
    feed.emit(["c"]);
    expect(heard).toEqual([["a", "b"]]);
  });

  it("stays silent for a commit that changed no run", () => {
    const feed = new RunChangeFeed();
    let calls = 0;
    feed.subscribe(() => calls++);
    feed.emit([]);
    expect(calls).toBe(0);
  });
});
