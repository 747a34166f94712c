import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { THREAD_START } from "../../../test/patience.js";
import { span } from "../../../test/step-span.js";
import { SqliteStore } from "./sqlite-store.js";

describe("SqliteStore ingest (the contract tests are in store/contract/)", () => {
  let dir: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-store-"));
    store = SqliteStore.open(join(dir, "store.db"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes WAL checkpoints on commit once the checkpoint thread has stopped", async () => {
    const failures: Error[] = [];
    const path = join(dir, "fallback.db");
    const other = SqliteStore.open(path, { onCheckpointerFailure: (error) => failures.push(error) });
    try {
      expect(other.db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
      const thread = (other as unknown as { checkpointer: { worker: import("node:worker_threads").Worker } })
        .checkpointer.worker;
      await thread.terminate();
      await vi.waitFor(() => expect(failures).toHaveLength(1), THREAD_START);
      expect(other.db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
      expect((await other.ingest([span({})])).stored).toBe(1);
    } finally {
      await other.close();
    }
  });
});
