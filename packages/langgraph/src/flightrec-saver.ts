import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  copyCheckpoint,
  maxChannelVersion,
  type PendingWrite,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
} from "@langchain/langgraph-checkpoint";
import { CollectorClient, FlightrecCheckpointError } from "./collector-client.js";
import { fromWire, toWire, type WireTuple } from "./wire.js";

export interface FlightrecSaverOptions {
  /** The collector. Default: FLIGHTREC_ENDPOINT, else http://127.0.0.1:4318. */
  endpoint?: string;
  /** Bearer token of a collector started with one. Default: FLIGHTREC_TOKEN. */
  token?: string;
  /**
   * How long a call may wait for the collector's acknowledgement, retries included, before it
   * fails the step. Default 10,000 ms.
   */
  timeoutMs?: number;
  /** LangGraph's serializer; default its JSON one. */
  serde?: SerializerProtocol;
}

/** Checkpoints listed per request. */
const LIST_PAGE = 100;

/**
 * A LangGraph checkpointer whose store is the Flightrec collector: every checkpoint and pending
 * write is acknowledged only after the collector committed it, so a killed graph continues from
 * its last finished node with `graph.invoke(null, { configurable: { thread_id } })`. A call the
 * collector does not acknowledge in time throws FlightrecCheckpointError, which fails the step:
 * state is never lost silently.
 */
export class FlightrecSaver extends BaseCheckpointSaver {
  private readonly client: CollectorClient;

  constructor(options: FlightrecSaverOptions = {}) {
    super(options.serde);
    const token = options.token ?? process.env.FLIGHTREC_TOKEN;
    this.client = new CollectorClient({
      endpoint: options.endpoint ?? process.env.FLIGHTREC_ENDPOINT ?? "http://127.0.0.1:4318",
      ...(token ? { token } : {}),
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /** The collector this saver writes to. */
  get endpoint(): string {
    return this.client.endpoint;
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, checkpointNs, checkpointId } = ids(config);
    if (threadId === undefined) return undefined;
    const query = new URLSearchParams({ threadId, checkpointNs });
    if (checkpointId) query.set("checkpointId", checkpointId);
    const tuple = await this.client.call<WireTuple>("GET", `/api/graph/checkpoint?${query}`, undefined, true);
    if (!tuple) return undefined;
    return this.toTuple(tuple, checkpointId ? config : undefined);
  }

  async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { threadId, checkpointId } = ids(config);
    const checkpointNs = config.configurable?.checkpoint_ns as string | undefined;
    const before = options.before?.configurable?.checkpoint_id as string | undefined;
    const filter = Object.fromEntries(
      Object.entries(options.filter ?? {}).filter(([, value]) => value !== undefined),
    );
    let left = options.limit ?? Number.POSITIVE_INFINITY;
    let cursor: string | null = null;
    while (left > 0) {
      const query = new URLSearchParams({ limit: String(Math.min(left, LIST_PAGE)) });
      if (threadId !== undefined) query.set("threadId", threadId);
      if (checkpointNs !== undefined && checkpointNs !== null) query.set("checkpointNs", checkpointNs);
      if (checkpointId) query.set("checkpointId", checkpointId);
      if (before) query.set("before", before);
      if (Object.keys(filter).length > 0) query.set("filter", JSON.stringify(filter));
      if (cursor) query.set("cursor", cursor);
      const page = (await this.client.call<{ checkpoints: WireTuple[]; nextCursor: string | null }>(
        "GET",
        `/api/graph/checkpoints?${query}`,
      ))!;
      for (const tuple of page.checkpoints) {
        left--;
        yield await this.toTuple(tuple);
      }
      cursor = page.nextCursor;
      if (!cursor) return;
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    _newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const { threadId, checkpointNs, checkpointId: parentCheckpointId } = ids(config);
    if (threadId === undefined) throw missingThread("put a checkpoint");
    const [stored, meta] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata),
    ]);
    const { value, redacted } = toWire(stored);
    await this.client.call("POST", "/api/graph/checkpoints", {
      threadId,
      checkpointNs,
      checkpointId: checkpoint.id,
      parentCheckpointId: parentCheckpointId ?? null,
      checkpoint: value,
      metadata: metadataJson(meta, metadata),
      redacted,
    });
    return {
      configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id },
    };
  }

  async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath = "",
  ): Promise<void> {
    const { threadId, checkpointNs, checkpointId } = ids(config);
    if (threadId === undefined) throw missingThread("put writes");
    if (!checkpointId) {
      throw new FlightrecCheckpointError(
        'Failed to put writes: the config has no "checkpoint_id" in its "configurable" property.',
      );
    }
    const serialized = await Promise.all(
      writes.map(async ([channel, value], idx) => {
        const wire = toWire(await this.serde.dumpsTyped(value));
        return { idx: WRITES_IDX_MAP[channel] ?? idx, channel, value: wire.value, redacted: wire.redacted };
      }),
    );
    await this.client.call("POST", "/api/graph/writes", {
      threadId,
      checkpointNs,
      checkpointId,
      taskId,
      taskPath,
      writes: serialized,
    });
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.client.call("DELETE", `/api/graph/threads/${encodeURIComponent(threadId)}`);
  }

  private async toTuple(tuple: WireTuple, config?: RunnableConfig): Promise<CheckpointTuple> {
    const configurable = {
      thread_id: tuple.threadId,
      checkpoint_ns: tuple.checkpointNs,
      checkpoint_id: tuple.checkpointId,
    };
    const [checkpoint, metadata, pendingWrites] = await Promise.all([
      this.serde.loadsTyped(tuple.checkpoint.type, fromWire(tuple.checkpoint)) as Promise<Checkpoint>,
      this.serde.loadsTyped("json", JSON.stringify(tuple.metadata)) as Promise<CheckpointMetadata>,
      Promise.all(
        tuple.pendingWrites.map(
          async (w): Promise<CheckpointPendingWrite> => [
            w.taskId,
            w.channel,
            await this.serde.loadsTyped(w.value.type, fromWire(w.value)),
          ],
        ),
      ),
    ]);
    if (checkpoint.v < 4 && tuple.parentCheckpointId) await this.migratePendingSends(checkpoint, tuple);
    return {
      config: config ?? { configurable },
      checkpoint,
      metadata,
      pendingWrites,
      ...(tuple.parentCheckpointId
        ? {
            parentConfig: {
              configurable: { ...configurable, checkpoint_id: tuple.parentCheckpointId },
            },
          }
        : {}),
    };
  }

  /**
   * A checkpoint written before format 4 kept the sends of its super-step as writes to its
   * parent's TASKS channel; as LangGraph's own savers do, they become the checkpoint's TASKS value.
   */
  private async migratePendingSends(checkpoint: Checkpoint, tuple: WireTuple): Promise<void> {
    const query = new URLSearchParams({
      threadId: tuple.threadId,
      checkpointNs: tuple.checkpointNs,
      checkpointId: tuple.parentCheckpointId!,
    });
    const parent = await this.client.call<WireTuple>(
      "GET",
      `/api/graph/checkpoint?${query}`,
      undefined,
      true,
    );
    const sends = await Promise.all(
      (parent?.pendingWrites ?? [])
        .filter((w) => w.channel === TASKS)
        .map((w) => this.serde.loadsTyped(w.value.type, fromWire(w.value))),
    );
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = sends;
    checkpoint.channel_versions ??= {};
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] =
      versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }
}

function ids(config: RunnableConfig): {
  threadId: string | undefined;
  checkpointNs: string;
  checkpointId: string | undefined;
} {
  const c = config.configurable ?? {};
  const threadId = c.thread_id === undefined || c.thread_id === null ? undefined : String(c.thread_id);
  return {
    threadId,
    checkpointNs: (c.checkpoint_ns as string | undefined) ?? "",
    checkpointId: (c.checkpoint_id as string | undefined) || undefined,
  };
}

/** Metadata as a JSON object the collector can filter on. */
function metadataJson(
  [type, bytes]: [string, Uint8Array],
  metadata: CheckpointMetadata,
): Record<string, unknown> {
  if (type === "json") return JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
}

function missingThread(what: string): Error {
  return new FlightrecCheckpointError(
    `Failed to ${what}: the config has no "thread_id" in its "configurable" property. Pass one, e.g. ` +
      'graph.invoke(input, { configurable: { thread_id: "task-123" } }); it is also the Flightrec run ID.',
  );
}
