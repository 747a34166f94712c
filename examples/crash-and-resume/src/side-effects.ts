import { appendFileSync } from "node:fs";

/**
 * The outside world the agent changes: one line per effect. A resumed run must not repeat
 * the effects of steps that already finished, and this log is how a test or a person checks.
 */
export class SideEffectLog {
  constructor(private readonly path: string | undefined) {}

  write(line: string): void {
    if (this.path) appendFileSync(this.path, `${line}\n`);
    else console.log(`  effect: ${line}`);
  }
}
