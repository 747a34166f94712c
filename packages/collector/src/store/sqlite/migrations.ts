import type Database from "better-sqlite3";

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Append only: a released migration is never edited.
 *
 * Spans are keyed by `span_key` (the rowid: their trace's key base and span ID bits, see
 * span-key.ts), not by UNIQUE(trace_id, span_id): an index on random hex costs more than half
 * the insert rate.
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
    trace_id          TEXT,
    start_ns          INTEGER,
    last_ns           INTEGER,
    -- When the collector last received a span of the run; updated_at also moves on verdicts.
    last_seen_at      TEXT,
    updated_at        TEXT NOT NULL
  );
  -- Run list: keyset pagination on (sort column, run_id), scanned in either direction.
  CREATE INDEX runs_by_started ON runs (started_at, run_id);
  CREATE INDEX runs_by_status ON runs (status, started_at, run_id);
  CREATE INDEX runs_by_name ON runs (name, started_at, run_id);
  CREATE INDEX runs_by_cost ON runs (cost_usd, run_id);
  CREATE INDEX runs_by_duration ON runs (duration_ms, run_id);
  CREATE INDEX runs_by_request ON runs (request_id);

  CREATE TABLE spans (
    span_key       INTEGER PRIMARY KEY,
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
    -- JSON text, valid by construction (normalize checks or encodes it); no json_valid() CHECK on
    -- the hottest insert path.
    input          TEXT,
    output         TEXT,
    error          TEXT,
    service        TEXT,
    attributes     TEXT NOT NULL
  );
  CREATE INDEX spans_by_run ON spans (run_id, start_ns);
  CREATE INDEX spans_by_model ON spans (model, run_id) WHERE model IS NOT NULL;

  -- Which run a trace belongs to, so spans of other instrumentations inside our runs join them.
  CREATE TABLE trace_runs (
    trace_id TEXT PRIMARY KEY,
    run_id   TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX trace_runs_by_run ON trace_runs (run_id);

  -- Decisions and failures belong to a span; re-sending the span replaces them.
  CREATE TABLE decisions (
    span_key      INTEGER NOT NULL,
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
  CREATE INDEX decisions_by_span ON decisions (span_key);
  CREATE INDEX decisions_by_run ON decisions (run_id, ts_ns);

  CREATE TABLE failures (
    span_key   INTEGER PRIMARY KEY,
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
    ts_ns      INTEGER NOT NULL
  );
  CREATE INDEX failures_by_run ON failures (run_id, ts_ns);
  CREATE INDEX failures_by_ts ON failures (ts_ns DESC);

  CREATE VIEW llm_calls AS
    SELECT run_id, attempt, trace_id, span_id, parent_span_id, name, status, started_at, ended_at,
           duration_ms, provider, model, input_tokens, output_tokens, cost_usd, input, output, error
    FROM spans WHERE kind = 'llm';

  CREATE VIEW tool_calls AS
    SELECT run_id, attempt, trace_id, span_id, parent_span_id,
           coalesce(json_extract(attributes, '$."gen_ai.tool.name"'), json_extract(attributes, '$."tool.name"'),
                    json_extract(attributes, '$."ai.toolCall.name"'), json_extract(attributes, '$."traceloop.entity.name"'), name) AS tool,
           status, started_at, ended_at, duration_ms, input AS arguments, output AS result, error
    FROM spans WHERE kind = 'tool';
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
  CREATE INDEX runs_by_status_updated ON runs (status, updated_at);
  `,
  // 3: GET /api/stats reads indexes only. Runs by start carry what the series sums; each run's
  // LLM calls and tool calls have partial indexes with what their stats read. A tool's name is
  // a generated column (computed on read, stored only in the index), so the index can hold it;
  // invalid attributes JSON falls back to the span name rather than failing the insert.
  `
  DROP INDEX runs_by_started;
  CREATE INDEX runs_by_started ON runs (started_at, run_id, status, input_tokens, output_tokens, cost_usd);
  CREATE INDEX spans_llm_by_run ON spans (run_id, model, duration_ms, input_tokens, output_tokens, cost_usd)
    WHERE kind = 'llm';
  ALTER TABLE spans ADD COLUMN tool TEXT GENERATED ALWAYS AS (
    CASE WHEN kind <> 'tool' THEN NULL
         WHEN json_valid(attributes) THEN
           coalesce(json_extract(attributes, '$."gen_ai.tool.name"'), json_extract(attributes, '$."tool.name"'),
                    json_extract(attributes, '$."ai.toolCall.name"'),
                    json_extract(attributes, '$."traceloop.entity.name"'), name)
         ELSE name END) VIRTUAL;
  CREATE INDEX spans_tool_by_run ON spans (run_id, tool, status, duration_ms) WHERE kind = 'tool';
  DROP VIEW tool_calls;
  CREATE VIEW tool_calls AS
    SELECT run_id, attempt, trace_id, span_id, parent_span_id, tool, status, started_at, ended_at, duration_ms,
           input AS arguments, output AS result, error
    FROM spans WHERE kind = 'tool';
  `,
  // 4: a span is identified by trace and span ID, whatever its times. Every trace gets a row
  // holding the high bits of its spans' keys (span-key.ts) and its run (trace_runs before).
  `
  CREATE TABLE traces (
    trace_id TEXT PRIMARY KEY,
    -- NULL for traces stored before this table: their spans keep keys from their start time.
    key_base INTEGER,
    -- The run the trace belongs to: the first its spans named, else its own (GenAI spans of
    -- other instrumentations); NULL for a trace of plain spans (HTTP, DB).
    run_id   TEXT,
    -- When the store first saw the trace (epoch ms): retention of traces of no run goes by it.
    seen_ms  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO traces (trace_id, key_base, run_id, seen_ms)
    SELECT trace_id, NULL, run_id, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM trace_runs;
  -- Traces of no run that were recent enough to be retried still (spans_by_run finds them).
  INSERT OR IGNORE INTO traces (trace_id, key_base, run_id, seen_ms)
    SELECT trace_id, NULL, NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM spans
    WHERE run_id IS NULL AND start_ns > (unixepoch() - 86400) * 1000000000;
  DROP TABLE trace_runs;
  CREATE INDEX traces_by_run ON traces (run_id) WHERE run_id IS NOT NULL;
  CREATE INDEX traces_of_no_run ON traces (seen_ms) WHERE run_id IS NULL;
  `,
  // 5: the extra fields given to decide() (`flightrec.decision.details`), as a JSON object.
  `
  ALTER TABLE decisions ADD COLUMN details TEXT CHECK (details IS NULL OR json_valid(details));
  `,
  // 6: steps whose source gave no index are numbered by the store by start time (step-numbering.ts);
  // 1 marks them, so a step arriving late can move them and never one whose index was declared.
  `
  ALTER TABLE spans ADD COLUMN step_by_order INTEGER NOT NULL DEFAULT 0;
  `,
  // 7: OTLP log records (POST /v1/logs). Keyed by a hash of their content: a record has no ID of
  // its own, and a re-sent one must be stored once. run_id is its trace's run, set when the record
  // arrives or when the run's spans do. GenAI content events (conversation_part set) are also the
  // input and output of their LLM span, which messages_from_logs marks as taken from them.
  `
  CREATE TABLE logs (
    log_id            TEXT PRIMARY KEY,
    trace_id          TEXT,
    span_id           TEXT,
    run_id            TEXT,
    request_id        TEXT,
    service           TEXT,
    ts                TEXT NOT NULL,
    ts_ns             INTEGER NOT NULL,
    severity_number   INTEGER,
    severity_text     TEXT,
    event_name        TEXT,
    body              TEXT,
    attributes        TEXT NOT NULL,
    scope             TEXT,
    conversation_part TEXT CHECK (conversation_part IN ('input', 'output')),
    message           TEXT
  );
  CREATE INDEX logs_by_trace ON logs (trace_id, span_id, ts_ns) WHERE trace_id IS NOT NULL;
  CREATE INDEX logs_by_run ON logs (run_id, ts_ns) WHERE run_id IS NOT NULL;
  CREATE INDEX logs_by_request ON logs (request_id, ts_ns) WHERE request_id IS NOT NULL;
  CREATE INDEX logs_of_no_run ON logs (ts_ns) WHERE run_id IS NULL;
  ALTER TABLE spans ADD COLUMN messages_from_logs INTEGER NOT NULL DEFAULT 0;
  `,
  // 8: the resource attributes of run spans (service, SDK versions, host, runtime), as a JSON
  // object: each attempt's environment, for comparing runs. Other spans leave it null, so the
  // hot insert path does not write the same object once per span.
  `
  ALTER TABLE spans ADD COLUMN resource TEXT;
  `,
  // 9: LangGraph checkpoints (@flightrec/langgraph's saver). A thread is a run: thread_id is the
  // run ID its spans carry. Values are kept as the graph's serializer wrote them (type + bytes;
  // JSON text stays TEXT so SQL can read it); redacted = 1 when redaction changed one, and such a
  // checkpoint or write is never handed back to the graph (its node runs again). created_ms is
  // epoch ms, for retention of threads that never became a run.
  `
  CREATE TABLE graph_checkpoints (
    thread_id            TEXT NOT NULL,
    checkpoint_ns        TEXT NOT NULL DEFAULT '',
    checkpoint_id        TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    step                 INTEGER,
    source               TEXT,
    type                 TEXT NOT NULL,
    checkpoint           BLOB NOT NULL,
    metadata             TEXT NOT NULL CHECK (json_valid(metadata)),
    redacted             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    created_ms           INTEGER NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
  ) WITHOUT ROWID;

  CREATE TABLE graph_writes (
    thread_id     TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id       TEXT NOT NULL,
    idx           INTEGER NOT NULL,
    task_path     TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    type          TEXT NOT NULL,
    value         BLOB NOT NULL,
    redacted      INTEGER NOT NULL DEFAULT 0,
    created_ms    INTEGER NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  ) WITHOUT ROWID;
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
