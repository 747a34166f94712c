/**
 * Where a finished step waits for the collector to acknowledge its span. step() registers
 * the span ID before ending the span; the durable processor sees the waiter in onEnd,
 * exports that span at once and settles the waiter with the export's outcome.
 */
interface Waiter {
  promise: Promise<boolean>;
  resolve: (acked: boolean) => void;
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

export function expectAck(spanId: string): Promise<boolean> {
  let resolve!: (acked: boolean) => void;
  const promise = new Promise<boolean>((r) => {
    resolve = r;
  });
  waiters.set(spanId, { promise, resolve });
  void promise.then((acked) => {
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
export function takeWaiter(spanId: string): ((acked: boolean) => void) | undefined {
  // Called for every span: with nobody waiting, skip hashing its ID.
  if (waiters.size === 0) return undefined;
  const waiter = waiters.get(spanId);
  if (!waiter) return undefined;
  waiters.delete(spanId);
  return waiter.resolve;
}

/** Stops waiting for a span (e.g. after a timeout) so the map stays bounded. */
export function forgetWaiter(spanId: string): void {
  waiters.get(spanId)?.resolve(false);
  waiters.delete(spanId);
}
