import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { THREAD_START } from "../../../test/patience.js";
import { Checkpointer } from "./checkpointer.js";

describe("Checkpointer", () => {
  it("reports a thread that cannot open the store instead of taking the process down, and still closes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flightrec-checkpointer-"));
    const failures: Error[] = [];
    try {
      // A directory is no database: the thread's connection fails as it opens.
      const checkpointer = new Checkpointer({ path: dir, onFailure: (error) => failures.push(error) });
      await vi.waitFor(() => expect(failures).toHaveLength(1), THREAD_START);
      await checkpointer.close();
      expect(failures[0]!.message).toMatch(/checkpoint/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
