import { appendFileSync } from "node:fs";

/**
 * The outside world the graph changes: one line per effect. A resumed thread must not repeat
 * the effects of nodes that already finished, and this log is how a test or a person checks.
 */
export class SideEffectLog {
  constructor(private readonly path: string | undefined) {}

  write(line: string): void {
    if (this.path) appendFileSync(this.path, `${line}\n`);
    else console.log(`  effect: ${line}`);
  }
}
