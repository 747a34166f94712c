import type pg from "pg";
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
import {
  connectionConfig,
  createPool,
  inTransaction,
  reading,
  readingSnapshot,
  unavailable,
} from "./connection.js";
import { postgresDurability } from "./durability.js";
import {
  deleteThread,
  getCheckpoint,
  listCheckpoints,
  putCheckpoint,
  putWrites,
} from "./graph-checkpoints.js";
import { writeLogs } from "./log-writer.js";
import { migrate } from "./migrations.js";
import { createPartitions, DAYS_AHEAD, dayAt, partitionDays } from "./partitions.js";
import {
  deleteOldRuns,
  deleteOldWithoutRun,
  dropPartitionIfExpired,
  expiredPartitionDays,
} from "./retention-deletes.js";
import { RunChangeChannel } from "./run-change-channel.js";
import { listRuns } from "./run-list.js";
import { writeSpans } from "./span-writer.js";
import {
  getRun,
  getRunOutline,
  getRuns,
  getSpan,
  listFailures,
  listLogs,
  schema,
  stats,
} from "./store-reader.js";
import { SweepLeadership } from "./sweep-leadership.js";

/** Transactions of span batches in flight at once; the pool keeps connections for reads beside them. */
const WRITERS = 4;

/** Spans one retention transaction deletes at most (as the SQLite store's RETENTION_SPAN_BUDGET). */
const RETENTION_SPAN_BUDGET = 20_000;

export interface PostgresStoreOptions {
  /** Connections this collector opens at most. Default 10. */
  maxConnections?: number;
  /** Reads waiting for a connection beyond which more are refused with 429. Default 256. */
  maxWaitingReads?: number;
}

/**
 * The decision store on PostgreSQL: the SQLite store's tables and meanings (decision 0020) on a
 * server any number of collectors share. Every write is one transaction, answered after COMMIT;
 * writes about one trace take turns across collectors (trace-locks.ts); run rows are merged
 * under their row lock, so concurrent batches of one run add up.
 */
export class PostgresStore implements DecisionStore {
  readonly durability: DurabilityStore;
  /** Batches of different traces commit side by side; those of one trace wait for each other's lock. */
  readonly concurrentWrites = WRITERS;
  /** Days with a span partition, as far as this collector knows. */
  private readonly days = new Set<number>();
  private readonly changes = new RunChangeFeed();
  /** Tells the other collectors on the database which runs this one changed, and hears theirs. */
  private channel: RunChangeChannel | null = null;

  private readonly leadership: SweepLeadership;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
  ) {
    this.leadership = new SweepLeadership(connectionConfig(url));
    this.durability = postgresDurability(
      this.leadership,
      (work) => reading(this.pool, work),
      (runIds, work) => this.writing(runIds, work),
    );
  }

  /**
   * Runs a write transaction that changes runs: the other collectors are notified at its commit,
   * this one's listeners right after it.
   */
  private async writing<T>(
    runIdsOf: (result: T) => readonly string[],
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const result = await inTransaction(this.pool, async (client) => {
      const done = await work(client);
      await this.channel?.notify(client, runIdsOf(done));
      return done;
    });
    this.changes.emit(runIdsOf(result));
    return result;
  }

  /** Connects, brings the schema up to date and makes the partitions of the next days. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, options.maxConnections ?? 10, options.maxWaitingReads);
    const store = new PostgresStore(pool, url);
    try {
      const client = await pool.connect().catch((error: unknown) => {
        throw unavailable(error);
      });
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      await store.partitionsFor(Date.now());
      store.channel = await RunChangeChannel.open({
        connection: connectionConfig(url),
        feed: store.changes,
      });
    } catch (error) {
      await store.channel?.close();
      await pool.end();
      throw error;
    }
    return store;
  }

  /** Makes sure the partition of the day of `ms` and the days after it exist. */
  private async partitionsFor(ms: number): Promise<void> {
    const today = dayAt(ms);
    if (this.days.has(today) && this.days.has(today + 1)) return;
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable(error);
    });
    try {
      await createPartitions(
        client,
        Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => today + i),
      );
      this.days.clear();
      for (const day of await partitionDays(client)) this.days.add(day);
    } finally {
      client.release();
    }
  }

  async ingest(spans: readonly SpanRecord[]): Promise<IngestSummary> {
    if (spans.length === 0) return { stored: 0, runIds: [], unstored: [] };
    const now = Date.now();
    await this.partitionsFor(now);
    return this.writing(
      (summary) => summary.runIds,
      (client) => writeSpans(client, spans, now),
    );
  }

  async ingestLogs(logs: readonly LogRecord[]): Promise<IngestSummary> {
    if (logs.length === 0) return { stored: 0, runIds: [], unstored: [] };
    return this.writing(
      (summary) => summary.runIds,
      (client) => writeLogs(client, logs),
    );
  }

  listLogs(query: LogListQuery): Promise<LogListPage> {
    return reading(this.pool, (client) => listLogs(client, query));
  }

  listRuns(query: RunListQuery): Promise<RunListPage> {
    return reading(this.pool, (client) => listRuns(client, query));
  }

  getRun(runId: string): Promise<RunDetail | null> {
    return readingSnapshot(this.pool, (client) => getRun(client, runId));
  }

  getRunOutline(runId: string): Promise<RunOutline | null> {
    return readingSnapshot(this.pool, (client) => getRunOutline(client, runId));
  }

  getSpan(runId: string, spanId: string): Promise<SpanRow | null> {
    return reading(this.pool, (client) => getSpan(client, runId, spanId));
  }

  onRunsChanged(listener: RunChangeListener): () => void {
    return this.changes.subscribe(listener);
  }

  getRuns(runIds: readonly string[]): Promise<RunRow[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return reading(this.pool, (client) => getRuns(client, runIds));
  }

  listFailures(query: FailureListQuery): Promise<FailureListPage> {
    return readingSnapshot(this.pool, (client) => listFailures(client, query));
  }

  stats(query: StatsQuery): Promise<Stats> {
    return readingSnapshot(this.pool, (client) => stats(client, query));
  }

  schema(): Promise<SchemaTable[]> {
    return reading(this.pool, schema);
  }

  async deleteRunsBefore(
    beforeIso: string,
    limit: number,
    spanBudget = RETENTION_SPAN_BUDGET,
  ): Promise<{ deleted: number; more: boolean }> {
    // Whole days first: a partition whose runs all go is dropped, not deleted row by row.
    const days = await reading(this.pool, (client) => expiredPartitionDays(client, beforeIso));
    for (const day of days) {
      const dropped = await inTransaction(this.pool, (client) =>
        dropPartitionIfExpired(client, day, beforeIso),
      ).catch(() => false);
      if (dropped) this.days.delete(day);
    }
    return inTransaction(this.pool, (client) => deleteOldRuns(client, beforeIso, limit, spanBudget));
  }

  async deleteSpansWithoutRunBefore(
    beforeIso: string,
    limit: number,
  ): Promise<{ deleted: number; more: boolean }> {
    const { deleted, more } = await inTransaction(this.pool, (client) =>
      deleteOldWithoutRun(client, beforeIso, limit),
    );
    return { deleted, more };
  }

  async putGraphCheckpoint(put: GraphCheckpointPut): Promise<void> {
    await inTransaction(this.pool, (client) => putCheckpoint(client, put, Date.now()));
  }

  async putGraphWrites(put: GraphWritesPut): Promise<void> {
    await inTransaction(this.pool, (client) => putWrites(client, put, Date.now()));
  }

  getGraphCheckpoint(query: GraphCheckpointQuery): Promise<GraphCheckpointTuple | null> {
    return readingSnapshot(this.pool, (client) => getCheckpoint(client, query));
  }

  listGraphCheckpoints(query: GraphCheckpointListQuery): Promise<GraphCheckpointListPage> {
    return readingSnapshot(this.pool, (client) => listCheckpoints(client, query));
  }

  deleteGraphThread(threadId: string): Promise<number> {
    return inTransaction(this.pool, (client) => deleteThread(client, threadId));
  }

  async isWritable(): Promise<boolean> {
    try {
      const { rows } = await reading(this.pool, (client) =>
        client.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro"),
      );
      return rows[0]?.ro === "off";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.leadership.close();
    await this.channel?.close();
    await this.pool.end();
  }
}
