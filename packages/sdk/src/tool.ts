import { context, SpanKind, trace } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
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
import { runFrom, stepFrom } from "./run-context.js";
import { settings } from "./settings.js";
import { runAttributes } from "./span-attributes.js";
import { getTracer } from "./tracer.js";
import { runInSpan } from "./with-span.js";

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
  options: ToolOptions = {},
): T {
  const timeoutMs = options.timeoutMs ?? settings.toolTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`tool "${name}": timeoutMs must be a non-negative number, got ${timeoutMs}`);
  }
  const parent = context.active();
  const run = runFrom(parent);
  const capturedArgs = captureJson(args);
  const span = getTracer().startSpan(
    `${GEN_AI_OPERATION.executeTool} ${name}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: preciseNow(),
      attributes: {
        [ATTR_SPAN_KIND]: "tool",
        [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
        [GEN_AI_TOOL_NAME]: name,
        [GEN_AI_TOOL_CALL_ARGUMENTS]: capturedArgs,
        ...(timeoutMs > 0 ? { [ATTR_TOOL_TIMEOUT_MS]: timeoutMs } : {}),
        ...runAttributes(run, stepFrom(parent)),
      },
    },
    parent,
  );
  // AbortControllers are costly to create: make one only when a timeout or the tool needs it.
  let controller: AbortController | undefined;
  const toolContext: ToolContext = {
    get signal() {
      controller ??= new AbortController();
      return controller.signal;
    },
  };
  const call =
    timeoutMs > 0
      ? () =>
          withTimeout(
            name,
            timeoutMs,
            () => (controller ??= new AbortController()),
            () => fn(args, toolContext),
          )
      : () => fn(args, toolContext);
  return runInSpan(span, trace.setSpan(parent, span), call as () => T, {
    onSuccess: (s, value) => s.setAttribute(GEN_AI_TOOL_CALL_RESULT, captureJson(value ?? null)),
    onError: (s, error) => {
      if (error instanceof ToolTimeoutError) s.setAttribute("error.type", "timeout");
      recordFailureInput(s, capturedArgs, run);
    },
  });
}

/**
 * Races the call against the timeout, so a tool that ignores its signal still cannot hold
 * the agent past it. A sync result needs no timer.
 */
function withTimeout<T>(
  name: string,
  timeoutMs: number,
  controller: () => AbortController,
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
      controller().abort(error);
      reject(error);
    }, timeoutMs);
  });
  return Promise.race([result as unknown as Promise<Awaited<T>>, timeout]).finally(() => clearTimeout(timer));
}
