/**
 * SQLite's json_extract readings of a JSON text column, in PostgreSQL. Attributes are valid JSON
 * by construction (normalize checks or encodes them).
 */

/** The value of a top-level key as text (strings unquoted), NULL when absent or JSON null. */
export function jsonText(column: string, key: string): string {
  return `(${column}::jsonb ->> '${key}')`;
}

/** True when the key holds true or 1, as SQLite's `json_extract(…) IS 1` reads both. */
export function jsonIsOne(column: string, key: string): string {
  return `coalesce((${column}::jsonb -> '${key}') IN ('true'::jsonb, '1'::jsonb), false)`;
}

/** The key's value when it is a JSON number (SQLite's json_type 'integer' or 'real'), else NULL. */
export function jsonNumber(column: string, key: string): string {
  return `(CASE WHEN jsonb_typeof(${column}::jsonb -> '${key}') = 'number' THEN (${column}::jsonb ->> '${key}')::float8 END)`;
}
