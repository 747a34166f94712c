/** A step's result cannot be stored as a checkpoint, or (strict mode) was not acknowledged. */
export class CheckpointError extends Error {
  constructor(
    readonly stepName: string,
    readonly stepIndex: number,
    message: string,
  ) {
    super(`flightrec: step ${stepIndex} "${stepName}": ${message}`);
    this.name = "CheckpointError";
  }
}

/** The code being resumed no longer matches the recorded steps. */
export class CheckpointMismatchError extends Error {
  constructor(
    readonly runId: string,
    readonly stepIndex: number,
    readonly recordedName: string,
    readonly currentName: string,
  ) {
    super(
      `flightrec: cannot resume run "${runId}": step ${stepIndex} was recorded as "${recordedName}" but the code now runs "${currentName}". ` +
        `Pass onCheckpointMismatch: "reexecute" to run from step ${stepIndex} again.`,
    );
    this.name = "CheckpointMismatchError";
  }
}

/** Resuming needs the run's checkpoints and the collector could not provide them. */
export class ResumeError extends Error {
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super(`flightrec: cannot resume run "${runId}": ${message}`);
    this.name = "ResumeError";
  }
}

/**
 * The run stopped cleanly before a step because the time left was shorter than the step
 * is expected to take. Everything is recorded; call run() again with `{ runId, resume: true }`.
 */
export class DeadlineExceededError extends Error {
  readonly resumable = true;
  constructor(
    readonly runId: string,
    readonly stepName: string,
    readonly stepIndex: number,
    readonly remainingMs: number,
    readonly expectedMs: number,
  ) {
    super(
      `flightrec: run "${runId}" stopped before step ${stepIndex} "${stepName}": ${Math.round(remainingMs)} ms left, ` +
        `the step is expected to take ${Math.round(expectedMs)} ms. Resume it with { runId: "${runId}", resume: true }.`,
    );
    this.name = "DeadlineExceededError";
  }
}
