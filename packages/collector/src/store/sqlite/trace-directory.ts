import type Database from "better-sqlite3";
import type { SpanRecord } from "../../domain.js";
import { KEY_RANGE_SQL, keyBaseAfter, keyBaseOf, startTimeKeyHigh } from "../span-key.js";
import { type Claim, claimsOf } from "../trace-claims.js";

/** What the store holds of a trace (a row of `traces`). */
export interface TraceEntry {
  /** High bits of its spans' keys; null for a trace stored before `traces`: keys from start times. */
  keyBase: bigint | null;
  /** The run its spans that name none belong to; null for a trace of plain spans. */
  runId: string | null;
  /**
   * The attempt of the run span that named the run (our SDK's: one trace per attempt), which the
   * trace's spans that name no run belong to too; null for a trace that is its own run or none's.
   */
  attempt: number | null;
}

/** The high bits of a span's key (see span-key.ts). */
export function keyHigh(trace: TraceEntry, span: SpanRecord): bigint {
  return trace.keyBase ?? startTimeKeyHigh(span.startNs);
}

/** Traces remembered between batches: a miss costs a statement, not correctness. */
const CACHED_TRACES = 20_000;

/**
 * The `traces` table as the writer sees it: gives each new trace a row with the next key base
 * (bases grow in the order traces arrive, so new keys append) and records which run a trace
 * belongs to. Entries are cached; the cache must be dropped when rows change behind it
 * (retention) or a transaction that wrote them rolls back.
 */
export class TraceDirectory {
  private readonly cache = new Map<string, TraceEntry>();
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly claim: Database.Statement;
  private readonly joinRun: Database.Statement[];
  private readonly claimLogs: Database.Statement;
  private readonly runAttempt: Database.Statement;
  /** A base shared by two traces costs only probes (spans are told apart by their IDs). */
  private nextBase: bigint;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      "INSERT INTO traces (trace_id, key_base, run_id, seen_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    this.select = db.prepare("SELECT key_base, run_id FROM traces WHERE trace_id = ?").safeIntegers();
    this.claim = db.prepare("UPDATE traces SET run_id = ? WHERE trace_id = ? AND run_id IS NULL");
    this.joinRun = ["spans", "failures", "decisions"].map((table) =>
      db.prepare(
        `UPDATE ${table} SET run_id = @run_id, attempt = coalesce(@attempt, attempt)
         WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("@base")}
         AND ${KEY_RANGE_SQL.last("@base")} AND trace_id = @trace_id AND run_id IS NULL`,
      ),
    );
    // Log records arrive without a run, and may come before their trace's spans: they join it
    // when the trace gets one (a new trace naming a run, or a late claim).
    this.claimLogs = db.prepare("UPDATE logs SET run_id = ? WHERE trace_id = ? AND run_id IS NULL");
    this.runAttempt = db
      .prepare(
        `SELECT attempt FROM spans WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("@base")}
         AND ${KEY_RANGE_SQL.last("@base")} AND trace_id = @trace_id AND run_id = @run_id AND kind = 'run'
         ORDER BY attempt DESC LIMIT 1`,
      )
      .pluck();
    const lastKey = db.prepare("SELECT max(span_key) FROM spans").pluck().safeIntegers().get() as
      | bigint
      | null;
    this.nextBase = keyBaseAfter(lastKey === null ? 0n : keyBaseOf(lastKey));
  }

  /**
   * The entry of every trace of the batch, with a row made for each new one. A trace belongs
   * to the first run its spans name; a trace no run claims becomes a run of its own (ID = trace
   * ID) once it shows a GenAI span, so other instrumentations' agents are listed too; plain
   * traces (HTTP, DB) make no runs.
   */
  entriesOf(spans: readonly SpanRecord[]): Map<string, TraceEntry> {
    const claims = claimsOf(spans);
    const entries = new Map<string, TraceEntry>();
    const seenMs = Date.now();
    for (const [traceId, claim] of claims) {
      const entry = this.cache.get(traceId) ?? this.load(traceId, claim, seenMs);
      if (entry.runId === null && claim !== null) this.lateClaim(entry, traceId, claim);
      else if (entry.attempt === null && claim?.attempt != null && claim.runId === entry.runId) {
        entry.attempt = claim.attempt;
      }
      entries.set(traceId, entry);
    }
    return entries;
  }

  /**
   * A trace stored so far as plain spans turns out to be a run's: the spans it already has join
   * the run. Frameworks' spans come children first (LangGraph's graph span ends last), so the
   * plumbing that ends before the first LLM or step span would otherwise belong to no run.
   * Traces stored before the `traces` table (no key base) are left as they are.
   */
  private lateClaim(entry: TraceEntry, traceId: string, claim: Claim): void {
    this.claim.run(claim.runId, traceId);
    this.claimLogs.run(claim.runId, traceId);
    entry.runId = claim.runId;
    entry.attempt = claim.attempt;
    if (entry.keyBase === null) return;
    for (const statement of this.joinRun) {
      statement.run({ run_id: claim.runId, attempt: claim.attempt, base: entry.keyBase, trace_id: traceId });
    }
  }

  /** The attempt of the run span of ours that named the trace's run, read back from the store. */
  private attemptOf(traceId: string, row: { key_base: bigint | null; run_id: string | null }): number | null {
    if (row.key_base === null || row.run_id === null || row.run_id === traceId) return null;
    const attempt = this.runAttempt.get({ base: row.key_base, trace_id: traceId, run_id: row.run_id });
    return attempt === undefined ? null : Number(attempt);
  }

  /** Drops the cached entries, after rows changed behind them. */
  forget(): void {
    this.cache.clear();
  }

  private load(traceId: string, claim: Claim | null, seenMs: number): TraceEntry {
    let entry: TraceEntry;
    if (this.insert.run(traceId, this.nextBase, claim?.runId ?? null, seenMs).changes === 1) {
      entry = { keyBase: this.nextBase, runId: claim?.runId ?? null, attempt: claim?.attempt ?? null };
      this.nextBase = keyBaseAfter(this.nextBase);
      if (claim !== null) this.claimLogs.run(claim.runId, traceId);
    } else {
      const row = this.select.get(traceId) as { key_base: bigint | null; run_id: string | null };
      entry = { keyBase: row.key_base, runId: row.run_id, attempt: this.attemptOf(traceId, row) };
    }
    if (this.cache.size >= CACHED_TRACES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(traceId, entry);
    return entry;
  }
}
