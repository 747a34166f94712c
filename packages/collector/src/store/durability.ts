import type { CheckpointStep, RunCheckpoints } from "@flightrec/sdk/conventions";

export type { CheckpointStep, RunCheckpoints };

export interface StepDuration {
  name: string;
  count: number;
  p95_ms: number;
}

/** An open attempt as the interrupt sweeper sees it. */
export interface OpenAttempt {
  run_id: string;
  /** Null when the run has no spans (cannot happen for a row in `runs`, kept honest). */
  attempt: number | null;
  run_status: string;
  updated_at: string;
  trace_id: string | null;
  span_id: string | null;
  root_input: string | null;
  reason: string | null;
  interval_ms: number | null;
  /** The step a run stopped between steps (a deadline) stopped before: where resume continues. */
  next_step_index: number | null;
  next_step_name: string | null;
}

/** Where an interrupted attempt was: the span in flight and the step it was in. */
export interface InFlightStep {
  /** The span's integer key as decimal text (64-bit, beyond a JS number). */
  span_key: string;
  trace_id: string;
  span_id: string;
  kind: string;
  name: string;
  /** The step the attempt was in: the span's own index when it is a step. */
  step_index: number | null;
  /** That step's name (the span's own when it is the step). */
  step_name: string | null;
  input: string | null;
  /**
   * The step was worked out here, not stored as one (a framework's open node, whose kind and
   * index arrive only at its end): the run's current step must become it.
   */
  derived: boolean;
}

export interface Interruption {
  runId: string;
  attempt: number;
  reason: string;
  rootInput: string | null;
  step: InFlightStep | undefined;
  /** For a run stopped between steps: the step it stopped before. */
  nextStep?: { index: number; name: string | null } | undefined;
  now: Date;
}

/** The run span of one attempt: its input and the reason its SDK gave for stopping, if any. */
export interface AttemptRoot {
  root_input: string | null;
  reason: string | null;
}

/**
 * What crash survival reads and writes: checkpoints for resume, step durations for deadlines,
 * and the verdict on attempts that stopped without finishing. Part of every store, so the
 * checkpoint routes and the interrupt sweeper reach the data only through the store.
 */
export interface DurabilityStore {
  /** Finished, executed steps of the run's newest attempt in order; null for an unknown run. */
  checkpoints(runId: string): Promise<RunCheckpoints | null>;
  /** p95 of past durations of each step of runs with this name. */
  stepDurationsOf(runName: string): Promise<StepDuration[]>;
  /** Open runs, and runs that ended in error since the given time (a deadline ends that way). */
  openAttemptsSince(errorsSinceIso: string): Promise<OpenAttempt[]>;
  /** The span an attempt was in when it stopped, and its step. */
  inFlightStep(runId: string, attempt: number): Promise<InFlightStep | undefined>;
  /** Resumed runs (more than one attempt) whose row changed since the given time. */
  resumedRunsSince(sinceIso: string): Promise<{ run_id: string; attempts: number }[]>;
  /** Attempts older than `newest` that still have spans running: left open when a newer one began. */
  openAttemptsBefore(runId: string, newest: number): Promise<number[]>;
  rootOf(runId: string, attempt: number): Promise<AttemptRoot | undefined>;
  /**
   * Records that an attempt was interrupted, atomically and through the store's one writer:
   * the run's status and step, an `interruptions` row, a `failures` row for the span in flight,
   * and the attempt's open spans ended as interrupted.
   */
  interrupt(interruption: Interruption): Promise<void>;
  /**
   * Whether this collector gives the verdicts now. Collectors sharing a store take turns: one
   * sweeps while it holds the lead, so each verdict is decided once; another takes over when it
   * stops. A store of one collector always leads.
   */
  leadsSweep(): Promise<boolean>;
}
