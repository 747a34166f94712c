import type pg from "pg";
import type { LogRecord, SpanRecord } from "../../domain.js";
import type { DurabilityStore } from "../durability.js";
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
  RunRow,
  SchemaTable,
  Stats,
  StatsQuery,
} from "../store.js";
import { createPool, inTransaction, reading, readingSnapshot, unavailable } from "./connection.js";
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
import { listRuns } from "./run-list.js";
import { writeSpans } from "./span-writer.js";
import { getRun, getRuns, listFailures, listLogs, schema, stats } from "./store-reader.js";

/** Spans one retention transaction deletes at most (as the SQLite store's RETENTION_SPAN_BUDGET). */
const RETENTION_SPAN_BUDGET = 20_000;

export interface PostgresStoreOptions {
  /** Connections this collector opens at most. Default 10. */
  maxConnections?: number;
}

/**
 * The decision store on PostgreSQL: the SQLite store's tables and meanings (decision 0020) on a
 * server any number of collectors share. Every write is one transaction, answered after COMMIT;
 * writes about one trace take turns across collectors (trace-locks.ts); run rows are merged
 * under their row lock, so concurrent batches of one run add up.
 */
export class PostgresStore implements DecisionStore {
  readonly durability: DurabilityStore;
  /** Days with a span partition, as far as this collector knows. */
  private readonly days = new Set<number>();

  private constructor(private readonly pool: pg.Pool) {
    this.durability = postgresDurability(
      (work) => reading(this.pool, work),
      (work) => inTransaction(this.pool, work),
    );
  }

  /** Connects, brings the schema up to date and makes the partitions of the next days. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = createPool(url, options.maxConnections ?? 10);
    const store = new PostgresStore(pool);
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
    } catch (error) {
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
    return inTransaction(this.pool, (client) => writeSpans(client, spans, now));
  }

  async ingestLogs(logs: readonly LogRecord[]): Promise<IngestSummary> {
    if (logs.length === 0) return { stored: 0, runIds: [], unstored: [] };
    return inTransaction(this.pool, (client) => writeLogs(client, logs));
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
    await this.pool.end();
  }
}
