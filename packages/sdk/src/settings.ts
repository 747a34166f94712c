import type { PriceOverrides } from "./pricing.js";
import { DEFAULT_MAX_ATTRIBUTE_CHARS } from "./serialize.js";

/** What init() configures for how spans are captured. Read on every span, so kept flat. */
export interface CaptureSettings {
  /** Extra patterns whose matches are replaced by the redaction marker. */
  redactPatterns: readonly RegExp[];
  /** Longest JSON text kept in one attribute; longer is cut with a marker. */
  maxAttributeChars: number;
  /** Model prices that win over the bundled table. */
  priceOverrides: PriceOverrides;
  /** Default timeout of tool() calls in ms; 0 means none. */
  toolTimeoutMs: number;
}

export const settings: CaptureSettings = defaults();

export function defaults(env: NodeJS.ProcessEnv = process.env): CaptureSettings {
  const fromEnv = Number(env.FLIGHTREC_TOOL_TIMEOUT_MS);
  return {
    redactPatterns: [],
    maxAttributeChars: DEFAULT_MAX_ATTRIBUTE_CHARS,
    priceOverrides: {},
    toolTimeoutMs: Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 0,
  };
}

export function configure(next: Partial<CaptureSettings>): void {
  Object.assign(settings, defaults(), next);
}
