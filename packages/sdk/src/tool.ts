import { type Attributes, context, type Span, SpanKind, trace } from "@opentelemetry/api";
import { preciseTime } from "./clock.js";
import {
  ATTR_SPAN_KIND,
  ATTR_TOOL_TIMEOUT_MS,
  GEN_AI_OPERATION,
  GEN_AI_OPERATION_NAME,
  GEN_AI_TOOL_CALL_ARGUMENTS,
  GEN_AI_TOOL_CALL_RESULT,
  GEN_AI_TOOL_NAME,
} from "./conventions.js";
import { recordFailureInput } from "./failure.js";
import { captureJson } from "./redact.js";
import { type RunState, runFrom, stepFrom } from "./run-context.js";
import { settings } from "./settings.js";
import { addRunAttributes } from "./span-attributes.js";
import { getTracer } from "./tracer.js";
import { runInSpan, type SpanOutcome } from "./with-span.js";

export interface ToolOptions {
  /**
   * Abort the call after this many ms: the signal passed to the tool fires and the call
   * rejects with a ToolTimeoutError. Defaults to FLIGHTREC_TOOL_TIMEOUT_MS; 0 means none.
   */
  timeoutMs?: number;
}

export interface ToolContext {
  /** Fires when the call times out; pass it on to fetch, child processes, … */
  signal: AbortSignal;
}

/** Thrown (and recorded on the span) when a tool call exceeds its timeout. */
export class ToolTimeoutError extends Error {
  override readonly name = "ToolTimeoutError";
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`tool "${tool}" timed out after ${timeoutMs} ms`);
  }
}

/** One tool call: its arguments, result, duration and error (including timeouts). */
export function tool<A, T>(
  name: string,
  args: A,
  fn: (args: A, ctx: ToolContext) => T,
  options?: ToolOptions,
): T {
  const timeoutMs = options?.timeoutMs ?? settings.toolTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`tool "${name}": timeoutMs must be a non-negative number, got ${timeoutMs}`);
  }
  const parent = context.active();
  const run = runFrom(parent);
  const capturedArgs = captureJson(args);
  const attributes: Attributes = {
    [ATTR_SPAN_KIND]: "tool",
    [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
    [GEN_AI_TOOL_NAME]: name,
    [GEN_AI_TOOL_CALL_ARGUMENTS]: capturedArgs,
  };
  if (timeoutMs > 0) attributes[ATTR_TOOL_TIMEOUT_MS] = timeoutMs;
  addRunAttributes(attributes, run, stepFrom(parent));
  const span = getTracer().startSpan(
    `${GEN_AI_OPERATION.executeTool} ${name}`,
    { kind: SpanKind.INTERNAL, startTime: preciseTime(), attributes },
    parent,
  );
  const toolContext = new CallContext();
  const call =
    timeoutMs > 0
      ? () => withTimeout(name, timeoutMs, toolContext, () => fn(args, toolContext))
      : () => fn(args, toolContext);
  return runInSpan(span, trace.setSpan(parent, span), call as () => T, new ToolOutcome(run, capturedArgs));
}

/** What the tool receives. AbortControllers are costly: one is made only when asked for. */
class CallContext implements ToolContext {
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    return this.abortController().signal;
  }

  abortController(): AbortController {
    this.controller ??= new AbortController();
    return this.controller;
  }
}

/** How a tool span ends; a class so a call allocates one object, not a set of closures. */
class ToolOutcome implements SpanOutcome<unknown> {
  constructor(
    private readonly run: RunState | undefined,
    private readonly capturedArgs: string,
  ) {}

  onSuccess(span: Span, value: unknown): void {
    span.setAttribute(GEN_AI_TOOL_CALL_RESULT, captureJson(value ?? null));
  }

  onError(span: Span, error: unknown): void {
    if (error instanceof ToolTimeoutError) span.setAttribute("error.type", "timeout");
    recordFailureInput(span, this.capturedArgs, this.run);
  }
}

/**
 * Races the call against the timeout, so a tool that ignores its signal still cannot hold
 * the agent past it. A sync result needs no timer.
 */
function withTimeout<T>(
  name: string,
  timeoutMs: number,
  toolContext: CallContext,
  fn: () => T,
): T | Promise<Awaited<T>> {
  const result = fn();
  if (
    !(
      typeof result === "object" &&
      result !== null &&
      typeof (result as { then?: unknown }).then === "function"
    )
  ) {
    return result;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ToolTimeoutError(name, timeoutMs);
      toolContext.abortController().abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([result as unknown as Promise<Awaited<T>>, timeout]).finally(() => clearTimeout(timer));
}
