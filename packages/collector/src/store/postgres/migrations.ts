import type pg from "pg";

/**
 * The PostgreSQL schema: the SQLite store's tables, columns and views (store/sqlite/migrations.ts,
 * as of its migration 9) with the same names and meanings, so the same SQL reads both. Types map
 * INTEGER to integer or bigint, REAL to double precision, BLOB to bytea; times stay ISO-8601 text
 * and JSON stays text, so values read back exactly as SQLite gives them (decision 0020).
 *
 * Differences a reader may meet: `spans` is partitioned by key range, one partition per UTC day
 * in which its traces arrived (partitions.ts); `spans.tool` is a stored column the writer fills;
 * rows that SQLite orders by rowid carry a `seq` identity instead; LangGraph values are bytea with
 * their `encoding` beside them.
 *
 * Append only: a released migration is never edited. `flightrec_migrations` records which ran.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    run_id            text COLLATE "C" PRIMARY KEY,
    name              text COLLATE "C",
    status            text COLLATE "C" NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'ok', 'error', 'interrupted')),
    started_at        text COLLATE "C",
    ended_at          text COLLATE "C",
    duration_ms       double precision,
    current_step      integer,
    current_step_name text COLLATE "C",
    steps             integer NOT NULL DEFAULT 0,
    attempts          integer NOT NULL DEFAULT 1,
    input_tokens      bigint,
    output_tokens     bigint,
    cost_usd          double precision,
    error             text COLLATE "C",
    request_id        text COLLATE "C",
    service           text COLLATE "C",
    trace_id          text COLLATE "C",
    start_ns          bigint,
    last_ns           bigint,
    last_seen_at      text COLLATE "C",
    updated_at        text COLLATE "C" NOT NULL
  );
  CREATE INDEX runs_by_started ON runs (started_at NULLS FIRST, run_id) INCLUDE (status, input_tokens, output_tokens, cost_usd);
  CREATE INDEX runs_by_status ON runs (status, started_at NULLS FIRST, run_id);
  CREATE INDEX runs_by_name ON runs (name NULLS FIRST, started_at NULLS FIRST, run_id);
  CREATE INDEX runs_by_cost ON runs (cost_usd NULLS FIRST, run_id);
  CREATE INDEX runs_by_duration ON runs (duration_ms NULLS FIRST, run_id);
  CREATE INDEX runs_by_request ON runs (request_id);
  CREATE INDEX runs_by_status_updated ON runs (status, updated_at);

  -- span_key: the trace's key base in the high bits, 22 bits of the span ID in the low ones
  -- (store/span-key.ts). Key bases grow with the hour the trace arrived, so key ranges are times.
  CREATE TABLE spans (
    span_key           bigint NOT NULL,
    trace_id           text COLLATE "C" NOT NULL,
    span_id            text COLLATE "C" NOT NULL,
    parent_span_id     text COLLATE "C",
    run_id             text COLLATE "C",
    attempt            integer NOT NULL DEFAULT 1,
    kind               text COLLATE "C" NOT NULL CHECK (kind IN ('run', 'step', 'llm', 'tool', 'other')),
    name               text COLLATE "C" NOT NULL,
    status             text COLLATE "C" NOT NULL CHECK (status IN ('running', 'ok', 'error')),
    started_at         text COLLATE "C" NOT NULL,
    ended_at           text COLLATE "C",
    duration_ms        double precision,
    start_ns           bigint NOT NULL,
    end_ns             bigint,
    step_index         integer,
    model              text COLLATE "C",
    provider           text COLLATE "C",
    input_tokens       bigint,
    output_tokens      bigint,
    cost_usd           double precision,
    input              text COLLATE "C",
    output             text COLLATE "C",
    error              text COLLATE "C",
    service            text COLLATE "C",
    attributes         text COLLATE "C" NOT NULL,
    tool               text COLLATE "C",
    step_by_order      integer NOT NULL DEFAULT 0,
    messages_from_logs integer NOT NULL DEFAULT 0,
    resource           text COLLATE "C",
    PRIMARY KEY (span_key)
  ) PARTITION BY RANGE (span_key);
  CREATE INDEX spans_by_run ON spans (run_id, start_ns);
  CREATE INDEX spans_by_model ON spans (model, run_id) WHERE model IS NOT NULL;
  CREATE INDEX spans_llm_by_run ON spans (run_id, model, duration_ms, input_tokens, output_tokens, cost_usd)
    WHERE kind = 'llm';
  CREATE INDEX spans_tool_by_run ON spans (run_id, tool, status, duration_ms) WHERE kind = 'tool';
  CREATE INDEX spans_of_no_run ON spans (start_ns) WHERE run_id IS NULL;

  CREATE TABLE traces (
    trace_id text COLLATE "C" PRIMARY KEY,
    key_base bigint NOT NULL,
    run_id   text COLLATE "C",
    seen_ms  bigint NOT NULL
  );
  CREATE INDEX traces_by_run ON traces (run_id) WHERE run_id IS NOT NULL;
  CREATE INDEX traces_of_no_run ON traces (seen_ms) WHERE run_id IS NULL;
  -- The low bits of key bases: traces arriving in one hour get distinct bases (up to 2^21 of them).
  CREATE SEQUENCE trace_key_seq;

  CREATE TABLE decisions (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    span_key      bigint NOT NULL,
    trace_id      text COLLATE "C" NOT NULL,
    span_id       text COLLATE "C" NOT NULL,
    run_id        text COLLATE "C",
    attempt       integer NOT NULL DEFAULT 1,
    step          integer,
    action        text COLLATE "C" NOT NULL,
    reasoning     text COLLATE "C",
    input_tokens  bigint,
    output_tokens bigint,
    cost_usd      double precision,
    ts            text COLLATE "C" NOT NULL,
    ts_ns         bigint NOT NULL,
    details       text COLLATE "C"
  );
  CREATE INDEX decisions_by_span ON decisions (span_key);
  CREATE INDEX decisions_by_run ON decisions (run_id, ts_ns);

  CREATE TABLE failures (
    span_key   bigint PRIMARY KEY,
    trace_id   text COLLATE "C" NOT NULL,
    span_id    text COLLATE "C" NOT NULL,
    run_id     text COLLATE "C",
    attempt    integer NOT NULL DEFAULT 1,
    step       integer,
    kind       text COLLATE "C" NOT NULL,
    name       text COLLATE "C" NOT NULL,
    error_type text COLLATE "C",
    message    text COLLATE "C" NOT NULL,
    stack      text COLLATE "C",
    input      text COLLATE "C",
    context    text COLLATE "C",
    ts         text COLLATE "C" NOT NULL,
    ts_ns      bigint NOT NULL
  );
  CREATE INDEX failures_by_run ON failures (run_id, ts_ns);
  CREATE INDEX failures_by_ts ON failures (ts_ns DESC);

  CREATE TABLE interruptions (
    run_id    text COLLATE "C" NOT NULL,
    attempt   integer NOT NULL,
    reason    text COLLATE "C" NOT NULL,
    step      integer,
    step_name text COLLATE "C",
    span_id   text COLLATE "C",
    input     text COLLATE "C",
    cost_usd  double precision,
    ts        text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, attempt)
  );

  CREATE TABLE logs (
    seq               bigint GENERATED ALWAYS AS IDENTITY,
    log_id            text COLLATE "C" PRIMARY KEY,
    trace_id          text COLLATE "C",
    span_id           text COLLATE "C",
    run_id            text COLLATE "C",
    request_id        text COLLATE "C",
    service           text COLLATE "C",
    ts                text COLLATE "C" NOT NULL,
    ts_ns             bigint NOT NULL,
    severity_number   integer,
    severity_text     text COLLATE "C",
    event_name        text COLLATE "C",
    body              text COLLATE "C",
    attributes        text COLLATE "C" NOT NULL,
    scope             text COLLATE "C",
    conversation_part text COLLATE "C" CHECK (conversation_part IN ('input', 'output')),
    message           text COLLATE "C"
  );
  CREATE INDEX logs_by_trace ON logs (trace_id, span_id, ts_ns) WHERE trace_id IS NOT NULL;
  CREATE INDEX logs_by_run ON logs (run_id, ts_ns, seq) WHERE run_id IS NOT NULL;
  CREATE INDEX logs_by_request ON logs (request_id, ts_ns) WHERE request_id IS NOT NULL;
  CREATE INDEX logs_of_no_run ON logs (ts_ns) WHERE run_id IS NULL;
  CREATE INDEX logs_by_time ON logs (ts_ns, seq);

  CREATE TABLE graph_checkpoints (
    thread_id            text COLLATE "C" NOT NULL,
    checkpoint_ns        text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id        text COLLATE "C" NOT NULL,
    parent_checkpoint_id text COLLATE "C",
    step                 integer,
    source               text COLLATE "C",
    type                 text COLLATE "C" NOT NULL,
    checkpoint           bytea NOT NULL,
    encoding             text COLLATE "C" NOT NULL CHECK (encoding IN ('utf8', 'base64')),
    metadata             text COLLATE "C" NOT NULL,
    redacted             integer NOT NULL DEFAULT 0,
    created_at           text COLLATE "C" NOT NULL,
    created_ms           bigint NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
  );

  CREATE TABLE graph_writes (
    thread_id     text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id text COLLATE "C" NOT NULL,
    task_id       text COLLATE "C" NOT NULL,
    idx           integer NOT NULL,
    task_path     text COLLATE "C" NOT NULL DEFAULT '',
    channel       text COLLATE "C" NOT NULL,
    type          text COLLATE "C" NOT NULL,
    value         bytea NOT NULL,
    encoding      text COLLATE "C" NOT NULL CHECK (encoding IN ('utf8', 'base64')),
    redacted      integer NOT NULL DEFAULT 0,
    created_ms    bigint NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  );

  CREATE VIEW llm_calls AS
    SELECT run_id, attempt, trace_id, span_id, parent_span_id, name, status, started_at, ended_at,
           duration_ms, provider, model, input_tokens, output_tokens, cost_usd, input, output, error
    FROM spans WHERE kind = 'llm';

  CREATE VIEW tool_calls AS
    SELECT run_id, attempt, trace_id, span_id, parent_span_id, tool, status, started_at, ended_at, duration_ms,
           input AS arguments, output AS result, error
    FROM spans WHERE kind = 'tool';
  `,
];

/** pg_advisory_xact_lock key of schema changes (and partition creation): "flightrec" in ASCII, cut to 63 bits. */
export const SCHEMA_LOCK = 0x666c696768747265n;

/**
 * Brings the database to the newest schema, in one transaction under an advisory lock: collectors
 * starting at once wait for each other, and each migration runs once. A database newer than this
 * flightrec is refused rather than written with an older idea of its tables.
 */
export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK.toString()]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS flightrec_migrations (
         version    integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM flightrec_migrations",
    );
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `database schema version ${current} is newer than this flightrec (${MIGRATIONS.length}); upgrade flightrec`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query("INSERT INTO flightrec_migrations (version) VALUES ($1)", [version + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
