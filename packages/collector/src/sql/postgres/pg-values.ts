import pg from "pg";

/**
 * How console cells come out of PostgreSQL, as close to the SQLite console as the types allow:
 * integers and floats as JSON numbers, an integer beyond 2^53 (a nanosecond time) or a decimal that
 * a double cannot hold exactly as its exact text, bytea as base64, booleans as true/false, JSON
 * values as json_extract gives them; every other type (times, arrays, intervals) as the text PostgreSQL prints for it.
 */
export const CONSOLE_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) => PARSERS.get(oid) ?? asText) as pg.CustomTypesConfig["getTypeParser"],
};

const asText = (text: string): string => text;

/** A number when it survives the round trip through a double unchanged; else the exact text. */
function exactNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? n : text;
  return n;
}

function finiteNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** As SQLite's json_extract answers: a scalar as itself (true and false as 1 and 0), anything else as compact JSON text. */
function jsonValue(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value !== null && typeof value === "object" ? JSON.stringify(value) : value;
}

const parseBytea = pg.types.getTypeParser(pg.types.builtins.BYTEA) as (text: string) => Buffer;

const PARSERS = new Map<number, (text: string) => unknown>([
  [pg.types.builtins.BOOL, (text) => text === "t"],
  [pg.types.builtins.INT2, Number],
  [pg.types.builtins.INT4, Number],
  [pg.types.builtins.OID, Number],
  [pg.types.builtins.INT8, exactNumber],
  [pg.types.builtins.NUMERIC, exactNumber],
  [pg.types.builtins.FLOAT4, finiteNumber],
  [pg.types.builtins.FLOAT8, finiteNumber],
  [pg.types.builtins.JSON, jsonValue],
  [pg.types.builtins.JSONB, jsonValue],
  [pg.types.builtins.BYTEA, (text) => parseBytea(text).toString("base64")],
]);
