import type pg from "pg";

/**
 * SQLite functions the README's example queries use, for PostgreSQL, so the same SQL answers the
 * same on both stores: `json_extract(text, '$.path')` (its JSON value, which the console gives as a
 * number, string or JSON text as SQLite does) and `date(value, modifier…)` for 'now' or an ISO time
 * with '±N days' (or seconds, minutes, hours, months, years) and 'start of day|month|year'
 * modifiers. One-argument `date(x)` is PostgreSQL's own cast, with the same answer.
 */
const FUNCTIONS: readonly { signature: string; definition: string }[] = [
  {
    signature: "json_extract(text,text)",
    definition: String.raw`
      CREATE FUNCTION json_extract(doc text, path text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN path = '$' THEN doc::jsonb ELSE doc::jsonb #> regexp_split_to_array(
          regexp_replace(regexp_replace(regexp_replace(path, '^\$\.?', ''), '\[(\d+)\]', '.\1', 'g'), '^\.', ''),
          '\.') END
      $$`,
  },
  {
    signature: "date(text,text[])",
    definition: String.raw`
      CREATE FUNCTION date(value text, VARIADIC modifiers text[]) RETURNS text LANGUAGE plpgsql STABLE AS $$
      DECLARE
        t timestamp := CASE WHEN lower(value) = 'now' THEN now() AT TIME ZONE 'UTC'
                            ELSE value::timestamptz AT TIME ZONE 'UTC' END;
        m text;
      BEGIN
        FOREACH m IN ARRAY modifiers LOOP
          IF m ~* '^\s*[-+]?\d+(\.\d+)?\s+(second|minute|hour|day|month|year)s?\s*$' THEN
            t := t + m::interval;
          ELSIF lower(m) IN ('start of day', 'start of month', 'start of year') THEN
            t := date_trunc(split_part(lower(m), ' ', 3), t);
          ELSE
            RETURN NULL; -- as SQLite answers a modifier it does not know
          END IF;
        END LOOP;
        RETURN to_char(t, 'YYYY-MM-DD');
      END $$`,
  },
];

/** Creates the functions missing from the store's schema (the search_path's first), as its owner. */
export async function ensureSqliteFunctions(client: pg.ClientBase): Promise<void> {
  for (const { signature, definition } of FUNCTIONS) {
    const { rows } = await client.query<{ present: boolean }>(
      "SELECT to_regprocedure($1) IS NOT NULL AS present",
      [signature],
    );
    if (!rows[0]!.present) await client.query(definition);
  }
}
