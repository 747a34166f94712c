import { emptyUsage, type StepState } from "@flightrec/sdk/bridge";
import type { Span } from "@opentelemetry/api";

/**
 * One agent turn as a step. It opens named by its agent (all that is known then) and, when it
 * ends, is named by what the turn did — the tools it called and handoffs it made, else `answer`
 * when the model replied — so a step list reads "Weather agent: get_weather", "Weather agent: answer".
 */
export class TurnStep implements StepState {
  readonly usage: StepState["usage"] = emptyUsage();
  private readonly calls: string[] = [];
  private answered = false;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly span: Span,
  ) {}

  calledTool(name: string): void {
    this.calls.push(name);
  }

  handedOff(toAgent: string | undefined): void {
    this.calls.push(`handoff → ${toAgent ?? "?"}`);
  }

  replied(): void {
    this.answered = true;
  }

  /** The step's name once the turn ended. */
  finalName(): string {
    if (this.calls.length > 0) return `${this.name}: ${[...new Set(this.calls)].join(", ")}`;
    return this.answered ? `${this.name}: answer` : this.name;
  }
}
