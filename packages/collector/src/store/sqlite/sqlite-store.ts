import { type Stats as FileStats, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import type { SpanRecord } from "../../domain.js";
import type {
  DecisionRow,
  DecisionStore,
  FailureListPage,
  FailureListQuery,
  FailureRow,
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
import { listFailures } from "./failure-list.js";
import { openWritableDatabase } from "./open-database.js";
import { listRuns } from "./run-list.js";
import { parentsFirst, type TimedSpanRow } from "./span-order.js";
import { SpanWriter } from "./span-writer.js";
import { StatementCache } from "./statement-cache.js";
import { stats } from "./stats.js";

const RUN_COLUMNS = `run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name, steps,
  attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id, last_seen_at, updated_at`;
const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at, ended_at,
  duration_ms, step_index, model, provider, input_tokens, output_tokens, cost_usd, input, output, error, service,
  attributes`;
/** Internal tables the SQL editor does not offer. */
const HIDDEN_TABLES = new Set(["trace_runs"]);

/** The embedded decision store: one SQLite file, WAL, one writer connection. */
export class SqliteStore implements DecisionStore {
  private readonly writer: SpanWriter;
  private readonly statements: StatementCache;
  private readonly selectRun: Database.Statement;
  private readonly selectSpans: Database.Statement;
  private readonly selectDecisions: Database.Statement;
  private readonly selectFailures: Database.Statement;
  private readonly deleteOldRuns: ReturnType<typeof retention>;
  private readonly deleteOldSpansWithoutRun: (beforeIso: string, limit: number) => number;
  private checkpointer: Checkpointer | null = null;
  /** The store file as opened; null for a store made from a connection. */
  private file: { path: string; opened: FileStats } | null = null;

  constructor(readonly db: Database.Database) {
    this.writer = new SpanWriter(db);
    this.statements = new StatementCache(db);
    this.selectRun = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`);
    this.selectSpans = db.prepare(
      `SELECT ${SPAN_COLUMNS}, CAST(start_ns AS TEXT) AS _start FROM spans WHERE run_id = ?
       ORDER BY start_ns, parent_span_id IS NOT NULL, span_id`,
    );
    this.selectDecisions = db.prepare(
      `SELECT run_id, attempt, step, action, reasoning, input_tokens, output_tokens, cost_usd, details, ts, trace_id,
              span_id
       FROM decisions WHERE run_id = ? ORDER BY ts_ns, rowid`,
    );
    this.selectFailures = db.prepare(
      `SELECT run_id, attempt, trace_id, span_id, step, kind, name, error_type, message, stack, input, context, ts
       FROM failures WHERE run_id = ? ORDER BY ts_ns`,
    );
    this.deleteOldRuns = retention(db);
    this.deleteOldSpansWithoutRun = spansWithoutRunRetention(db);
  }

  /** `onCheckpointerFailure` hears when commits take over WAL checkpoints from the stopped thread. */
  static open(path: string, options: { onCheckpointerFailure?: (error: Error) => void } = {}): SqliteStore {
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

  async listRuns(query: RunListQuery): Promise<RunListPage> {
    return listRuns(this.statements, query);
  }

  async getRun(runId: string): Promise<RunDetail | null> {
    const run = this.selectRun.get(runId) as RunRow | undefined;
    if (!run) return null;
    return {
      run,
      spans: parentsFirst(this.selectSpans.all(runId) as TimedSpanRow[]),
      decisions: this.selectDecisions.all(runId) as DecisionRow[],
      failures: this.selectFailures.all(runId) as FailureRow[],
    };
  }

  async getRuns(runIds: readonly string[]): Promise<RunRow[]> {
    if (runIds.length === 0) return [];
    return this.statements
      .get(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(runIds)) as RunRow[];
  }

  async listFailures(query: FailureListQuery): Promise<FailureListPage> {
    return listFailures(this.statements, query);
  }

  async stats(query: StatsQuery): Promise<Stats> {
    return stats(this.statements, query);
  }

  async schema(): Promise<SchemaTable[]> {
    const tables = this.db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .pluck()
      .all() as string[];
    return tables
      .filter((name) => !HIDDEN_TABLES.has(name))
      .map((name) => ({
        name,
        columns: (
          this.db.prepare("SELECT name, type FROM pragma_table_info(?)").all(name) as {
            name: string;
            type: string;
          }[]
        ).map((c) => ({ name: c.name, type: c.type })),
      }));
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
