/**
 * Where a finished step waits for the collector to acknowledge its span. step() registers
 * the span ID before ending the span; the durable processor sees the waiter in onEnd,
 * exports that span at once and settles the waiter with the export's outcome.
 */

/** The collector's answer for one span: acknowledged, or why not. */
export interface Acknowledgement {
  acked: boolean;
  /** Why it was not acknowledged (e.g. `connect ECONNREFUSED 127.0.0.1:4318`). */
  reason?: string;
}

/** Told the outcome of the request that held the span. */
export type AckCallback = (acked: boolean, error?: unknown) => void;

interface Waiter {
  promise: Promise<Acknowledgement>;
  resolve: (ack: Acknowledgement) => void;
}

const waiters = new Map<string, Waiter>();
let ackingProcessors = 0;
// Set when a checkpoint went unacknowledged, cleared by the next acknowledgement: while the
// collector is slow or gone, steps stop waiting for it, so an outage costs one timeout, not one
// per step.
let waitingSuspended = false;

/** Called by a processor that exports waiting steps immediately (and stops doing so). */
export function setAckingProcessor(active: boolean): void {
  ackingProcessors = Math.max(0, ackingProcessors + (active ? 1 : -1));
}

/** True when some processor will acknowledge checkpoints; otherwise step() does not wait. */
export function checkpointsAcknowledged(): boolean {
  return ackingProcessors > 0;
}

export function expectAck(spanId: string): Promise<Acknowledgement> {
  let resolve!: (ack: Acknowledgement) => void;
  const promise = new Promise<Acknowledgement>((r) => {
    resolve = r;
  });
  waiters.set(spanId, { promise, resolve });
  void promise.then(({ acked }) => {
    if (acked) waitingSuspended = false;
  });
  return promise;
}

/** A checkpoint went unacknowledged: later steps do not wait until one is acknowledged again. */
export function suspendWaiting(): void {
  waitingSuspended = true;
}

export function waitingIsSuspended(): boolean {
  return waitingSuspended;
}

/** The processor takes the waiter for a span it is about to export (undefined: nobody waits). */
export function takeWaiter(spanId: string): AckCallback | undefined {
  // Called for every span: with nobody waiting, skip hashing its ID.
  if (waiters.size === 0) return undefined;
  const waiter = waiters.get(spanId);
  if (!waiter) return undefined;
  waiters.delete(spanId);
  return (acked, error) =>
    waiter.resolve(
      acked ? { acked } : { acked, reason: error instanceof Error ? error.message : "export failed" },
    );
}

/** Stops waiting for a span (e.g. after a timeout) so the map stays bounded. */
export function forgetWaiter(spanId: string): void {
  waiters.get(spanId)?.resolve({ acked: false, reason: "no longer waited for" });
  waiters.delete(spanId);
}
