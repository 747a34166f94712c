import type Database from "better-sqlite3";
import { LOG_COLUMNS, OUTLINE_COLUMNS, RUN_COLUMNS, RUN_SPANS_ORDER, SPAN_COLUMNS } from "../row-columns.js";
import { parentsFirst, type TimedSpanRow } from "../span-order.js";
import type {
  DecisionRow,
  FailureListPage,
  FailureListQuery,
  FailureRow,
  GraphCheckpointListPage,
  GraphCheckpointListQuery,
  GraphCheckpointQuery,
  GraphCheckpointTuple,
  LogListPage,
  LogListQuery,
  LogRow,
  RunDetail,
  RunListPage,
  RunListQuery,
  RunOutline,
  RunRow,
  SchemaTable,
  SpanOutline,
  SpanRow,
  Stats,
  StatsQuery,
} from "../store.js";
import { listFailures } from "./failure-list.js";
import { getGraphCheckpoint, listGraphCheckpoints } from "./graph-checkpoint-reads.js";
import { listLogs } from "./log-list.js";
import { listRuns } from "./run-list.js";
import { StatementCache } from "./statement-cache.js";
import { registerStatsFunctions, stats } from "./stats.js";

/** Only steps are replayed; testing the flag on them alone keeps the outline from reading every span's JSON. */
const REPLAYED = `kind = 'step' AND json_extract(attributes, '$."flightrec.step.replayed"') IS 1`;
/** Log lines a run's detail carries at most; /api/logs pages through all of them. */
const RUN_DETAIL_LOGS = 5_000;
/** Internal tables the SQL editor does not offer. */
const HIDDEN_TABLES = new Set(["traces"]);

/**
 * Every read of the query API, answered synchronously from one connection. The store runs it on
 * read threads (see read-pool.ts), each with its own read-only connection; WAL lets them read
 * while the writer commits.
 */
export class StoreReader {
  private readonly statements: StatementCache;
  private readonly selectRun: Database.Statement;
  private readonly selectSpans: Database.Statement;
  private readonly selectOutlines: Database.Statement;
  private readonly selectSpan: Database.Statement;
  private readonly selectDecisions: Database.Statement;
  private readonly selectFailures: Database.Statement;
  private readonly selectLogs: Database.Statement;

  constructor(private readonly db: Database.Database) {
    registerStatsFunctions(db);
    this.statements = new StatementCache(db);
    this.selectRun = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`);
    this.selectSpans = db.prepare(
      `SELECT ${SPAN_COLUMNS}, CAST(start_ns AS TEXT) AS _start FROM spans WHERE run_id = ? ${RUN_SPANS_ORDER}`,
    );
    this.selectOutlines = db.prepare(
      `SELECT ${OUTLINE_COLUMNS}, ${REPLAYED} AS replayed, CAST(start_ns AS TEXT) AS _start
       FROM spans WHERE run_id = ? ${RUN_SPANS_ORDER}`,
    );
    // A span ID is unique in its trace; a run's traces are its attempts, whose IDs do not collide in practice.
    this.selectSpan = db.prepare(
      `SELECT ${SPAN_COLUMNS} FROM spans WHERE run_id = ? AND span_id = ? ORDER BY start_ns DESC LIMIT 1`,
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
    // Content events are not lines: they are the LLM spans' input and output.
    this.selectLogs = db.prepare(
      `SELECT ${LOG_COLUMNS} FROM logs WHERE run_id = ? AND conversation_part IS NULL ORDER BY ts_ns, rowid
       LIMIT ${RUN_DETAIL_LOGS}`,
    );
  }

  listLogs(query: LogListQuery): LogListPage {
    return listLogs(this.statements, query);
  }

  listRuns(query: RunListQuery): RunListPage {
    return listRuns(this.statements, query);
  }

  getRun(runId: string): RunDetail | null {
    return this.runWith(runId, () => parentsFirst(this.selectSpans.all(runId) as TimedSpanRow[]));
  }

  getRunOutline(runId: string): RunOutline | null {
    return this.runWith(runId, () => {
      // SQLite answers the flag as 0 or 1.
      const rows = this.selectOutlines.all(runId) as TimedSpanRow<
        Omit<SpanOutline, "replayed"> & { replayed: unknown }
      >[];
      for (const row of rows) row.replayed = row.replayed === 1;
      return parentsFirst(rows as TimedSpanRow<SpanOutline>[]);
    });
  }

  getSpan(runId: string, spanId: string): SpanRow | null {
    return (this.selectSpan.get(runId, spanId) as SpanRow | undefined) ?? null;
  }

  /** The run with its decisions, failures and logs, and its spans as `spans` reads them. */
  private runWith<S>(runId: string, spans: () => S[]): (Omit<RunDetail, "spans"> & { spans: S[] }) | null {
    // One read transaction, so the run and its rows are one snapshot although the writer commits between them.
    return this.db.transaction(() => {
      const run = this.selectRun.get(runId) as RunRow | undefined;
      if (!run) return null;
      return {
        run,
        spans: spans(),
        decisions: this.selectDecisions.all(runId) as DecisionRow[],
        failures: this.selectFailures.all(runId) as FailureRow[],
        logs: this.selectLogs.all(runId) as LogRow[],
      };
    })();
  }

  getRuns(runIds: readonly string[]): RunRow[] {
    if (runIds.length === 0) return [];
    return this.statements
      .get(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(runIds)) as RunRow[];
  }

  listFailures(query: FailureListQuery): FailureListPage {
    return listFailures(this.statements, query);
  }

  getGraphCheckpoint(query: GraphCheckpointQuery): GraphCheckpointTuple | null {
    return this.db.transaction(() => getGraphCheckpoint(this.statements, query))();
  }

  listGraphCheckpoints(query: GraphCheckpointListQuery): GraphCheckpointListPage {
    return this.db.transaction(() => listGraphCheckpoints(this.statements, query))();
  }

  stats(query: StatsQuery): Stats {
    return stats(this.statements, query);
  }

  schema(): SchemaTable[] {
    const tables = this.statements
      .get(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .pluck()
      .all() as string[];
    const columns = this.statements.get(
      // table_xinfo also lists generated columns (spans.tool); hidden 1 is a virtual table's own.
      "SELECT name, type FROM pragma_table_xinfo(?) WHERE hidden <> 1",
    );
    return tables
      .filter((name) => !HIDDEN_TABLES.has(name))
      .map((name) => ({
        name,
        columns: (columns.all(name) as { name: string; type: string }[]).map((c) => ({
          name: c.name,
          type: c.type,
        })),
      }));
  }
}
