import type pg from "pg";
import { SCHEMA_LOCK } from "./migrations.js";

/**
 * Time in span keys. A trace's key base (the high 41 bits of its spans' keys, see
 * store/span-key.ts) is the hour it arrived since KEY_EPOCH in its 20 high bits and a sequence
 * number in the 21 low ones, so every key of a trace lies in the hour it arrived, and `spans`,
 * partitioned by key range, holds one partition per UTC day. Retention drops a day whose runs
 * are all gone instead of deleting its rows (retention-deletes.ts).
 */
export const KEY_EPOCH_MS = Date.UTC(2020, 0, 1);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Bits below the hour in a key: 21 of sequence, 22 of span ID. */
const HOUR_SHIFT = 43n;
/** Bits below the hour in a key base. */
export const BASE_SEQUENCE_BITS = 21;

/** Partitions made ahead of the day traces arrive in, so ingest never waits on DDL. */
export const DAYS_AHEAD = 3;

/** The hour part of the key bases of traces arriving at `ms`. */
export function keyHourAt(ms: number): number {
  return Math.max(0, Math.floor((ms - KEY_EPOCH_MS) / HOUR_MS));
}

/** Days since KEY_EPOCH (UTC). */
export function dayAt(ms: number): number {
  return Math.max(0, Math.floor((ms - KEY_EPOCH_MS) / DAY_MS));
}

/** The day whose partition holds a key. */
export function dayOfKey(key: bigint): number {
  return Number((key >> HOUR_SHIFT) / 24n);
}

/** First key of a day and first key of the next. */
export function keyRangeOfDay(day: number): [bigint, bigint] {
  return [(BigInt(day) * 24n) << HOUR_SHIFT, (BigInt(day + 1) * 24n) << HOUR_SHIFT];
}

/** `spans_YYYYMMDD`. */
export function partitionName(day: number): string {
  return `spans_${new Date(KEY_EPOCH_MS + day * DAY_MS).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** The day a partition named by partitionName holds; null for any other name. */
export function dayOfPartition(name: string): number | null {
  const m = /^spans_(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!m) return null;
  return Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - KEY_EPOCH_MS) / DAY_MS);
}

/**
 * Creates the partitions of these days that do not exist yet, in a transaction of its own under
 * the schema lock (collectors creating the same day at once wait for each other).
 */
export async function createPartitions(client: pg.ClientBase, days: Iterable<number>): Promise<void> {
  const wanted = [...new Set(days)].sort((a, b) => a - b);
  if (wanted.length === 0) return;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK.toString()]);
    const existing = new Set(await partitionDays(client));
    for (const day of wanted) {
      if (existing.has(day)) continue;
      const [from, to] = keyRangeOfDay(day);
      await client.query(
        `CREATE TABLE ${partitionName(day)} PARTITION OF spans FOR VALUES FROM (${from}) TO (${to})`,
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Days that have a partition, oldest first. */
export async function partitionDays(client: pg.ClientBase): Promise<number[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'spans' AND p.relnamespace = current_schema()::regnamespace`,
  );
  return rows
    .map((r) => dayOfPartition(r.name))
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
}
