import { resolveEndpoint } from "../config.js";

export interface DurabilityOptions {
  /** How often open spans are re-sent while a run is open (the heartbeat), in ms. Default 5000. */
  heartbeatIntervalMs?: number;
  /** How long a step waits for the collector to acknowledge its checkpoint, in ms. Default 2000. */
  checkpointTimeoutMs?: number;
  /** Largest checkpoint (a step's result as JSON), in characters. Default 1,000,000. */
  maxCheckpointChars?: number;
  /**
   * Mark open runs interrupted and flush on SIGTERM, SIGINT, uncaught exceptions and
   * unhandled rejections. Default true.
   */
  handleProcessEvents?: boolean;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
export const DEFAULT_CHECKPOINT_TIMEOUT_MS = 2_000;
export const DEFAULT_MAX_CHECKPOINT_CHARS = 1_000_000;

export interface DurabilityConfig {
  /** Collector base URL, for checkpoints and step durations. */
  endpoint: string;
  token: string | undefined;
  checkpointTimeoutMs: number;
  maxCheckpointChars: number;
}

let current: DurabilityConfig = {
  endpoint: resolveEndpoint(undefined),
  token: process.env.FLIGHTREC_TOKEN,
  checkpointTimeoutMs: DEFAULT_CHECKPOINT_TIMEOUT_MS,
  maxCheckpointChars: DEFAULT_MAX_CHECKPOINT_CHARS,
};

export function configureDurability(
  options: DurabilityOptions & { endpoint?: string; token?: string },
): void {
  for (const key of ["heartbeatIntervalMs", "checkpointTimeoutMs", "maxCheckpointChars"] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`flightrec: ${key} must be a positive number, got ${value}`);
    }
  }
  current = {
    endpoint: resolveEndpoint(options.endpoint),
    token: options.token ?? process.env.FLIGHTREC_TOKEN,
    checkpointTimeoutMs: options.checkpointTimeoutMs ?? DEFAULT_CHECKPOINT_TIMEOUT_MS,
    maxCheckpointChars: options.maxCheckpointChars ?? DEFAULT_MAX_CHECKPOINT_CHARS,
  };
}

export function durabilityConfig(): DurabilityConfig {
  return current;
}
