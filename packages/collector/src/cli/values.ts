import type { Setting } from "./options.js";
import { UsageError } from "./options.js";

/** Checks on option values; each error names the flag or environment variable the value came from. */

export function portOf(setting: Setting): number {
  const port = /^\d+$/.test(setting.value ?? "") ? Number(setting.value) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`${setting.from} must be an integer from 0 to 65535, got "${setting.value ?? ""}"`);
  }
  return port;
}

export function positiveNumberOf(setting: Setting): number | undefined {
  if (setting.value === undefined) return undefined;
  const n = Number(setting.value);
  if (setting.value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${setting.from} must be a positive number, got "${setting.value}"`);
  return n;
}

export function wholeNumberOf(setting: Setting, max: number): number | undefined {
  if (setting.value === undefined) return undefined;
  const n = Number(setting.value);
  if (setting.value.trim() === "" || !Number.isInteger(n) || n <= 0 || n > max)
    throw new UsageError(`${setting.from} must be a whole number from 1 to ${max}, got "${setting.value}"`);
  return n;
}

export function oneOf<T extends string>(setting: Setting, allowed: readonly T[]): T {
  if (!allowed.includes(setting.value as T)) {
    throw new UsageError(
      `${setting.from} must be one of ${allowed.join(", ")}, got "${setting.value ?? ""}"`,
    );
  }
  return setting.value as T;
}

/** A non-empty string option, e.g. a path; an empty `--db ""` is a mistake rather than the current folder. */
export function textOf(setting: Setting): string {
  if (!setting.value) throw new UsageError(`${setting.from} needs a value`);
  return setting.value;
}
