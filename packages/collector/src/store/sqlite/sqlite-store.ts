import { type Stats as FileStats, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { SpanRecord } from "../../domain.js";
import type {
  DecisionStore,
  FailureListPage,
  FailureListQuery,
  IngestSummary,
  RunDetail,
  RunListPage,
  RunListQuery,
  RunRow,
  SchemaTable,
  Stats,
  StatsQuery,
} from "../store.js";
import { StoreUnavailableError } from "../store.js";
import { Checkpointer } from "./checkpointer.js";
import { openWritableDatabase } from "./open-database.js";
import { type ReadMethod, ReadPool } from "./read-pool.js";
import { SpanWriter } from "./span-writer.js";
import { StoreReader } from "./store-reader.js";

export interface SqliteStoreOptions {
  /** Hears when commits take over WAL checkpoints from the stopped thread. */
  onCheckpointerFailure?: (error: Error) => void;
  /**
   * Read threads per lane: one lane for lookups (run list, run detail, failures, schema), one
   * for stats, so that slow reports never hold up a lookup. 0 reads on the calling thread,
   * through the writer's connection. Default 1.
   */
  readThreads?: number;
}

/** Reads waiting for a lane before more are refused with 429. */
const MAX_PENDING_LOOKUPS = 256;
const MAX_PENDING_STATS = 16;

/**
 * The embedded decision store: one SQLite file, WAL, one writer connection on the calling thread,
 * and read threads with read-only connections for the query API, so that no read — however large
 * the store — holds up the thread that accepts and commits spans.
 */
export class SqliteStore implements DecisionStore {
  private readonly writer: SpanWriter;
  private readonly deleteOldRuns: ReturnType<typeof retention>;
  private readonly deleteOldSpansWithoutRun: (beforeIso: string, limit: number) => number;
  /** Reads on the writer's connection, for a store made from a connection (no file to share). */
  private readonly inline: StoreReader;
  private lanes: { lookups: ReadPool; stats: ReadPool } | null = null;
  /** Identical stats asked for while one is computed share its answer. */
  private readonly statsInFlight = new Map<string, Promise<Stats>>();
  private checkpointer: Checkpointer | null = null;
  /** The store file as opened; null for a store made from a connection. */
  private file: { path: string; opened: FileStats } | null = null;

  constructor(readonly db: Database.Database) {
    this.writer = new SpanWriter(db);
    this.inline = new StoreReader(db);
    this.deleteOldRuns = retention(db);
    this.deleteOldSpansWithoutRun = spansWithoutRunRetention(db);
  }

  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const store = new SqliteStore(openWritableDatabase(path));
    store.db.pragma("wal_autocheckpoint = 0");
    store.checkpointer = new Checkpointer({
      path,
      onFailure: (error) => {
        // Without checkpoints the WAL would grow without end; commits pay for them again instead.
        if (store.db.open) store.db.pragma("wal_autocheckpoint = 1000");
        options.onCheckpointerFailure?.(error);
      },
    });
    store.file = { path: resolve(path), opened: statSync(path) };
    const threads = options.readThreads ?? 1;
    if (threads > 0) {
      store.lanes = {
        lookups: new ReadPool({ path, name: "lookup", threads, maxPending: MAX_PENDING_LOOKUPS }),
        // Reports are background work: under contention the thread committing spans goes first.
        stats: new ReadPool({ path, name: "stats", threads, maxPending: MAX_PENDING_STATS, nice: 10 }),
      };
    }
    return store;
  }

  async ingest(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    if (!this.fileIsCurrent()) {
      throw new StoreUnavailableError(
        `store file ${this.file?.path} was deleted or replaced; restart flightrec to open it again`,
      );
    }
    try {
      return this.writer.write(spans);
    } catch (error) {
      throw isTransient(error)
        ? new StoreUnavailableError(`store write failed: ${error.message}`, { cause: error })
        : error;
    }
  }

  listRuns(query: RunListQuery): Promise<RunListPage> {
    return this.read("lookups", "listRuns", query);
  }

  getRun(runId: string): Promise<RunDetail | null> {
    return this.read("lookups", "getRun", runId);
  }

  getRuns(runIds: readonly string[]): Promise<RunRow[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.read("lookups", "getRuns", runIds);
  }

  listFailures(query: FailureListQuery): Promise<FailureListPage> {
    return this.read("lookups", "listFailures", query);
  }

  stats(query: StatsQuery): Promise<Stats> {
    const key = JSON.stringify([query.from, query.to, query.bucket]);
    let answer = this.statsInFlight.get(key);
    if (!answer) {
      answer = this.read("stats", "stats", query).finally(() => this.statsInFlight.delete(key));
      this.statsInFlight.set(key, answer);
    }
    return answer;
  }

  schema(): Promise<SchemaTable[]> {
    return this.read("lookups", "schema");
  }

  private read<M extends ReadMethod>(
    lane: "lookups" | "stats",
    method: M,
    ...args: Parameters<StoreReader[M]>
  ): Promise<ReturnType<StoreReader[M]>> {
    if (this.lanes) return this.lanes[lane].call(method, ...args);
    const reader = this.inline;
    return Promise.resolve().then(() =>
      (reader[method] as (...a: unknown[]) => ReturnType<StoreReader[M]>)(...args),
    );
  }

  async deleteRunsBefore(
    beforeIso: string,
    limit: number,
    spanBudget = RETENTION_SPAN_BUDGET,
  ): Promise<{ deleted: number; more: boolean }> {
    const result = this.deleteOldRuns(beforeIso, limit, spanBudget);
    // Their trace_runs rows are gone too; the writer must not keep routing those traces to them.
    if (result.deleted > 0) this.writer.forgetTraces();
    return result;
  }

  async deleteSpansWithoutRunBefore(
    beforeIso: string,
    limit: number,
  ): Promise<{ deleted: number; more: boolean }> {
    const deleted = this.deleteOldSpansWithoutRun(beforeIso, limit);
    return { deleted, more: deleted === limit };
  }

  async isWritable(): Promise<boolean> {
    if (!this.fileIsCurrent()) return false;
    try {
      this.db.prepare("BEGIN IMMEDIATE").run();
      this.db.prepare("ROLLBACK").run();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * False once the store file was deleted or replaced: the open connection would go on
   * committing into a file no one can open again, lost when the collector exits.
   */
  private fileIsCurrent(): boolean {
    if (!this.file) return true;
    try {
      const now = statSync(this.file.path);
      return now.ino === this.file.opened.ino && now.dev === this.file.opened.dev;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Read threads first: their snapshots would keep the last checkpoint from truncating the WAL.
    await this.lanes?.lookups.close();
    await this.lanes?.stats.close();
    await this.checkpointer?.close();
    this.checkpointer = null;
    if (this.db.open) {
      this.db.pragma("wal_checkpoint(TRUNCATE)");
      this.db.close();
    }
  }
}

/**
 * Result codes of a store that cannot write now but may later (space freed, lock released,
 * file made writable again); anything else (a constraint) would fail again on every retry.
 */
const TRANSIENT_CODES = /^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY|CANTOPEN|NOMEM|PROTOCOL)/;

function isTransient(error: unknown): error is Error {
  return error instanceof Database.SqliteError && TRANSIENT_CODES.test(error.code);
}

/** Deletes the oldest runs (and their spans, decisions, failures) in one small transaction. */
/** Spans one retention transaction deletes at most, so ingest never waits long behind it. */
const RETENTION_SPAN_BUDGET = 20_000;

function retention(
  db: Database.Database,
): (beforeIso: string, limit: number, spanBudget: number) => { deleted: number; more: boolean } {
  // A run that started long ago may still be running (its heartbeats move updated_at) or may
  // have been resumed lately: only runs also last heard of before the cutoff are old.
  const pick = db
    .prepare(
      "SELECT run_id FROM runs WHERE started_at < @before AND updated_at < @before ORDER BY started_at LIMIT @limit",
    )
    .pluck();
  const deleteSpans = db.prepare(
    "DELETE FROM spans WHERE span_key IN (SELECT span_key FROM spans WHERE run_id = ? LIMIT ?)",
  );
  const spansLeft = db.prepare("SELECT 1 FROM spans WHERE run_id = ? LIMIT 1").pluck();
  const deleteRest = ["decisions", "failures", "interruptions", "trace_runs", "runs"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE run_id = ?`),
  );
  return db.transaction((beforeIso: string, limit: number, spanBudget: number) => {
    const runIds = pick.all({ before: beforeIso, limit }) as string[];
    let budget = spanBudget;
    let deleted = 0;
    for (const runId of runIds) {
      budget -= deleteSpans.run(runId, budget).changes;
      // The run's row goes last, so a run cut short here is picked up again by the next call.
      if (budget <= 0 && spansLeft.get(runId) !== undefined) return { deleted, more: true };
      for (const statement of deleteRest) statement.run(runId);
      deleted++;
      if (budget <= 0) return { deleted, more: true };
    }
    return { deleted, more: runIds.length === limit };
  });
}

/** Deletes the oldest spans of no run (plain HTTP or DB traces) with their failures and decisions. */
function spansWithoutRunRetention(db: Database.Database): (beforeIso: string, limit: number) => number {
  const pick = db
    .prepare("SELECT span_key FROM spans WHERE run_id IS NULL AND start_ns < ? LIMIT ?")
    .pluck()
    .safeIntegers();
  const del = ["decisions", "failures", "spans"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE span_key = ?`),
  );
  return db.transaction((beforeIso: string, limit: number) => {
    const keys = pick.all(BigInt(Date.parse(beforeIso)) * 1_000_000n, limit) as bigint[];
    for (const key of keys) for (const statement of del) statement.run(key);
    return keys.length;
  });
}
