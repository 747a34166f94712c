import { QueueFullError } from "./write-queue.js";

/**
 * Bytes of OTLP bodies held at once, from the first byte read until the body is decoded; decoded,
 * a body takes several times its size, so this bounds the memory ingest can take. One body alone
 * may pass the limit (up to the largest body accepted), else a large body could never be taken.
 */
export class InflightBudget {
  private used = 0;
  private open = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new Error(`InflightBudget: maxBytes must be positive, got ${maxBytes}`);
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.used;
  }

  /** Bodies being read or decoded now. */
  get bodies(): number {
    return this.open;
  }

  /** True when no new body may start now. */
  isExhausted(): boolean {
    return this.used >= this.maxBytes;
  }

  /** A claim for one body, holding nothing until it grows. */
  claim(): BodyClaim {
    this.open++;
    let held = 0;
    let released = false;
    return {
      grow: (total) => {
        if (released || total <= held) return;
        const others = this.used - held;
        if (others > 0 && this.used + (total - held) > this.maxBytes) {
          throw new QueueFullError("collector is busy; retry later");
        }
        this.used += total - held;
        held = total;
      },
      release: () => {
        if (released) return;
        released = true;
        this.used -= held;
        this.open--;
      },
    };
  }
}

/** One body's share of the budget. */
export interface BodyClaim {
  /** Holds `total` bytes in all; throws QueueFullError when other bodies leave no room for them. */
  grow(total: number): void;
  /** Gives the bytes back; later calls do nothing. */
  release(): void;
}
