import type Database from "better-sqlite3";

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Append only: a released migration is never edited.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    run_id            TEXT PRIMARY KEY,
    name              TEXT,
    status            TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'ok', 'error', 'interrupted')),
    started_at        TEXT,
    ended_at          TEXT,
    duration_ms       REAL,
    current_step      INTEGER,
    current_step_name TEXT,
    steps             INTEGER NOT NULL DEFAULT 0,
    attempts          INTEGER NOT NULL DEFAULT 1,
    input_tokens      INTEGER,
    output_tokens     INTEGER,
    cost_usd          REAL,
    error             TEXT,
    request_id        TEXT,
    service           TEXT,
    updated_at        TEXT NOT NULL
  );
  CREATE INDEX runs_by_started ON runs (started_at DESC);

  CREATE TABLE spans (
    trace_id       TEXT NOT NULL,
    span_id        TEXT NOT NULL,
    parent_span_id TEXT,
    run_id         TEXT,
    attempt        INTEGER NOT NULL DEFAULT 1,
    kind           TEXT NOT NULL CHECK (kind IN ('run', 'step', 'llm', 'tool', 'other')),
    name           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('running', 'ok', 'error')),
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    duration_ms    REAL,
    start_ns       INTEGER NOT NULL,
    end_ns         INTEGER,
    step_index     INTEGER,
    model          TEXT,
    provider       TEXT,
    input_tokens   INTEGER,
    output_tokens  INTEGER,
    cost_usd       REAL,
    input          TEXT CHECK (input IS NULL OR json_valid(input)),
    output         TEXT CHECK (output IS NULL OR json_valid(output)),
    error          TEXT,
    attributes     TEXT NOT NULL CHECK (json_valid(attributes)),
    UNIQUE (trace_id, span_id)
  );
  CREATE INDEX spans_by_run ON spans (run_id, start_ns);

  -- Decisions and failures belong to a span; re-sending the span replaces them.
  CREATE TABLE decisions (
    trace_id      TEXT NOT NULL,
    span_id       TEXT NOT NULL,
    run_id        TEXT,
    attempt       INTEGER NOT NULL DEFAULT 1,
    step          INTEGER,
    action        TEXT NOT NULL,
    reasoning     TEXT,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost_usd      REAL,
    ts            TEXT NOT NULL,
    ts_ns         INTEGER NOT NULL
  );
  CREATE INDEX decisions_by_span ON decisions (trace_id, span_id);
  CREATE INDEX decisions_by_run ON decisions (run_id, ts_ns);

  CREATE TABLE failures (
    trace_id   TEXT NOT NULL,
    span_id    TEXT NOT NULL,
    run_id     TEXT,
    attempt    INTEGER NOT NULL DEFAULT 1,
    step       INTEGER,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    error_type TEXT,
    message    TEXT NOT NULL,
    stack      TEXT,
    input      TEXT CHECK (input IS NULL OR json_valid(input)),
    context    TEXT CHECK (context IS NULL OR json_valid(context)),
    ts         TEXT NOT NULL,
    ts_ns      INTEGER NOT NULL,
    UNIQUE (trace_id, span_id)
  );
  CREATE INDEX failures_by_run ON failures (run_id, ts_ns);
  CREATE INDEX failures_by_ts ON failures (ts_ns DESC);
  `,
  // 2: why an attempt of a run stopped before finishing (crash survival).
  `
  CREATE TABLE interruptions (
    run_id    TEXT NOT NULL,
    attempt   INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    step      INTEGER,
    step_name TEXT,
    span_id   TEXT,
    input     TEXT CHECK (input IS NULL OR json_valid(input)),
    cost_usd  REAL,
    ts        TEXT NOT NULL,
    PRIMARY KEY (run_id, attempt)
  );
  CREATE INDEX runs_by_status ON runs (status, updated_at);
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${current} is newer than this flightrec (${MIGRATIONS.length}); upgrade flightrec`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
