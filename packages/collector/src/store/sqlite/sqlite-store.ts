import { type Stats as FileStats, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { LogRecord, SpanRecord } from "../../domain.js";
import type { DurabilityStore } from "../durability.js";
import { RunChangeFeed, type RunChangeListener } from "../run-changes.js";
import type {
  DecisionStore,
  FailureListPage,
  FailureListQuery,
  GraphCheckpointListPage,
  GraphCheckpointListQuery,
  GraphCheckpointPut,
  GraphCheckpointQuery,
  GraphCheckpointTuple,
  GraphWritesPut,
  IngestSummary,
  LogListPage,
  LogListQuery,
  RunDetail,
  RunListPage,
  RunListQuery,
  RunOutline,
  RunRow,
  SchemaTable,
  SpanRow,
  Stats,
  StatsQuery,
} from "../store.js";
import { StoreUnavailableError } from "../store.js";
import { Checkpointer } from "./checkpointer.js";
import { Conversations } from "./conversations.js";
import { DurabilityQueries } from "./durability-queries.js";
import { GraphCheckpointWriter } from "./graph-checkpoint-writer.js";
import { LogWriter } from "./log-writer.js";
import { openWritableDatabase } from "./open-database.js";
import { type ReadMethod, ReadPool } from "./read-pool.js";
import { noRunRetention, RETENTION_SPAN_BUDGET, runRetention } from "./retention-deletes.js";
import { SpanWriter } from "./span-writer.js";
import { sqliteDurability } from "./sqlite-durability.js";
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
  private readonly logWriter: LogWriter;
  private readonly graphWriter: GraphCheckpointWriter;
  private readonly deleteOldRuns: ReturnType<typeof runRetention>;
  private readonly deleteOldSpansWithoutRun: ReturnType<typeof noRunRetention>;
  /** Reads on the writer's connection, for a store made from a connection (no file to share). */
  private readonly inline: StoreReader;
  private lanes: { lookups: ReadPool; stats: ReadPool } | null = null;
  /** Identical stats asked for while one is computed share its answer. */
  private readonly statsInFlight = new Map<string, Promise<Stats>>();
  private checkpointer: Checkpointer | null = null;
  /** The store file as opened; null for a store made from a connection. */
  private file: { path: string; opened: FileStats } | null = null;
  private readonly changes = new RunChangeFeed();

  /** Crash survival's reads and writes, on the writer connection: the one writer of the file. */
  readonly durability: DurabilityStore;

  constructor(readonly db: Database.Database) {
    this.writer = new SpanWriter(db);
    this.durability = sqliteDurability(
      new DurabilityQueries(db),
      (write) => this.writing(write),
      this.changes,
    );
    this.logWriter = new LogWriter(db, new Conversations(db));
    this.graphWriter = new GraphCheckpointWriter(db);
    this.inline = new StoreReader(db);
    this.deleteOldRuns = runRetention(db);
    this.deleteOldSpansWithoutRun = noRunRetention(db);
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
    const summary = this.writing(() => this.writer.write(spans));
    this.changes.emit(summary.runIds);
    return summary;
  }

  async ingestLogs(logs: readonly LogRecord[]): Promise<IngestSummary> {
    const summary = this.writing(() => this.logWriter.write(logs));
    this.changes.emit(summary.runIds);
    return summary;
  }

  onRunsChanged(listener: RunChangeListener): () => void {
    return this.changes.subscribe(listener);
  }

  async putGraphCheckpoint(put: GraphCheckpointPut): Promise<void> {
    this.writing(() => this.graphWriter.putCheckpoint(put, Date.now()));
  }

  async putGraphWrites(put: GraphWritesPut): Promise<void> {
    this.writing(() => this.graphWriter.putWrites(put, Date.now()));
  }

  async deleteGraphThread(threadId: string): Promise<number> {
    return this.writing(() => this.graphWriter.deleteThread(threadId));
  }

  getGraphCheckpoint(query: GraphCheckpointQuery): Promise<GraphCheckpointTuple | null> {
    return this.read("lookups", "getGraphCheckpoint", query);
  }

  listGraphCheckpoints(query: GraphCheckpointListQuery): Promise<GraphCheckpointListPage> {
    return this.read("lookups", "listGraphCheckpoints", query);
  }

  /** Runs a write transaction; a store that cannot write now is a StoreUnavailableError (503). */
  private writing<T>(write: () => T): T {
    if (!this.fileIsCurrent()) {
      throw new StoreUnavailableError(
        `store file ${this.file?.path} was deleted or replaced; restart flightrec to open it again`,
      );
    }
    try {
      return write();
    } catch (error) {
      throw isTransient(error)
        ? new StoreUnavailableError(`store write failed: ${error.message}`, { cause: error })
        : error;
    }
  }

  listLogs(query: LogListQuery): Promise<LogListPage> {
    return this.read("lookups", "listLogs", query);
  }

  listRuns(query: RunListQuery): Promise<RunListPage> {
    return this.read("lookups", "listRuns", query);
  }

  getRun(runId: string): Promise<RunDetail | null> {
    return this.read("lookups", "getRun", runId);
  }

  getRunOutline(runId: string): Promise<RunOutline | null> {
    return this.read("lookups", "getRunOutline", runId);
  }

  getSpan(runId: string, spanId: string): Promise<SpanRow | null> {
    return this.read("lookups", "getSpan", runId, spanId);
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
    // Their traces' rows are gone or of no run now; the writer must not keep routing those traces to them.
    if (result.deleted > 0) this.writer.forgetTraces();
    return result;
  }

  async deleteSpansWithoutRunBefore(
    beforeIso: string,
    limit: number,
  ): Promise<{ deleted: number; more: boolean }> {
    const { deleted, more, traces } = this.deleteOldSpansWithoutRun(beforeIso, limit);
    // A later span of a trace whose row is gone starts it over on a new key base.
    if (traces > 0) this.writer.forgetTraces();
    return { deleted, more };
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
