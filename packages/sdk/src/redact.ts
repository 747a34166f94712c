import { toJsonAttribute, truncate } from "./serialize.js";
import { settings } from "./settings.js";

export const REDACTED = "[REDACTED]";

/** Field names whose values are secrets whatever they hold. */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|api[-_]?key|apikey|authorization|access[-_]?token|refresh[-_]?token|private[-_]?key|client[-_]?secret|^token$|^cookie$/i;

/** Secrets recognisable inside any text, with what replaces them. */
const BUILT_IN_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [
    /\b(password|passwd|secret|api[-_]?key|apikey|access[-_]?token)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    `$1$2${REDACTED}`,
  ],
];

/** Cheap pre-check: text without any of these cannot match a built-in pattern. */
const MAY_HOLD_SECRET = /sk-|bearer|pass|secret|api[-_]?key|apikey|access[-_]?token/i;

/**
 * JSON without any of these needs neither masking by field name (serialize.ts MASKABLE_KEY)
 * nor a built-in pattern (MAY_HOLD_SECRET): one scan instead of two.
 */
const MAY_NEED_REDACTION =
  /pass|secret|api[-_]?key|apikey|authorization|token|private[-_]?key|cookie|sk-|bearer/i;

/** Replaces secrets in text with the marker. */
export function redactText(text: string): string {
  let out = text;
  if (MAY_HOLD_SECRET.test(text)) {
    for (const [pattern, replacement] of BUILT_IN_PATTERNS) out = out.replace(pattern, replacement);
  }
  return redactUserPatterns(out);
}

function redactUserPatterns(text: string): string {
  let out = text;
  for (const pattern of settings.redactPatterns) out = out.replace(asGlobal(pattern), REDACTED);
  return out;
}

/** Whether a field of this name holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * The value as redacted, size-capped JSON text for a span attribute: what leaves the
 * process. Secret fields are masked by name, secrets in strings by pattern.
 */
export function captureJson(value: unknown): string {
  // Numbers, booleans and null hold no field names and nothing a built-in pattern matches.
  if (value === null || typeof value === "number" || typeof value === "boolean") {
    return capText(redactUserPatterns(JSON.stringify(value)));
  }
  const plain = plainJson(value);
  if (plain !== undefined && !MAY_NEED_REDACTION.test(plain)) return capText(redactUserPatterns(plain));
  return redactJson(value, settings.maxAttributeChars).text;
}

/**
 * The value as redacted JSON text cut to `maxChars`, and whether redaction changed
 * anything: a secret field was masked or a secret in a string was replaced.
 */
export function redactJson(
  value: unknown,
  maxChars = Number.POSITIVE_INFINITY,
): { text: string; redacted: boolean } {
  let masked = false;
  const json = toJsonAttribute(value, Number.POSITIVE_INFINITY, (key, v) => {
    if (key === "" || !isSecretKey(key) || v === null || typeof v === "object" || v === REDACTED) return v;
    masked = true;
    return REDACTED;
  });
  const text = redactText(json);
  return { text: truncate(text, maxChars), redacted: masked || text !== json };
}

/**
 * JSON text (a serializer's output) redacted as `redactJson` redacts a value, uncut: the same
 * text when nothing in it needs redaction, which is checked first without parsing it.
 */
export function redactJsonText(json: string): { text: string; redacted: boolean } {
  if (!MAY_NEED_REDACTION.test(json)) {
    const text = redactUserPatterns(json);
    return { text, redacted: text !== json };
  }
  const result = redactJson(JSON.parse(json) as unknown);
  return result.redacted ? result : { text: json, redacted: false };
}

/** JSON.stringify's fast path for plain data; undefined when the value needs toJsonAttribute. */
function plainJson(value: unknown): string | undefined {
  if (value instanceof Error) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Redacted, size-capped plain text. */
export function captureText(text: string): string {
  return capText(redactText(text));
}

function capText(text: string): string {
  return truncate(text, settings.maxAttributeChars);
}

const globalCache = new WeakMap<RegExp, RegExp>();
function asGlobal(pattern: RegExp): RegExp {
  if (pattern.global) return pattern;
  let global = globalCache.get(pattern);
  if (!global) {
    global = new RegExp(pattern.source, `${pattern.flags}g`);
    globalCache.set(pattern, global);
  }
  return global;
}
