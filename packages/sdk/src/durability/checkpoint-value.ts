/**
 * A step's result as checkpoint JSON. Unlike span attributes in general, a checkpoint must
 * come back as the same value on resume, so anything JSON cannot carry faithfully is an
 * error naming where it sits, never a silent substitute.
 */
export function serializeCheckpoint(value: unknown, maxChars: number): string {
  const problem = findUnserializable(value, "result", new Set());
  if (problem) throw new Error(`its result cannot be stored as a checkpoint: ${problem}`);
  const text = JSON.stringify(value ?? null);
  if (text.length > maxChars) {
    throw new Error(
      `its result is ${text.length} characters as JSON, over the checkpoint limit of ${maxChars} (maxCheckpointChars)`,
    );
  }
  return text;
}

function findUnserializable(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case "bigint":
      return `${path} is a BigInt`;
    case "function":
      return `${path} is a function`;
    case "symbol":
      return `${path} is a symbol`;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}`;
    case "object":
      return value === null ? undefined : findInObject(value, path, ancestors);
    default:
      return undefined;
  }
}

function findInObject(value: object, path: string, ancestors: Set<object>): string | undefined {
  if (ancestors.has(value)) return `${path} refers back to itself (a cycle)`;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  if (value instanceof Map || value instanceof Set) return `${path} is a ${value.constructor.name}`;
  ancestors.add(value);
  try {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      const found = findUnserializable(child, `${path}.${key}`, ancestors);
      if (found) return found;
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}
