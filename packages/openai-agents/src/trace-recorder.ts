import { randomUUID } from "node:crypto";
import {
  addRunAttributes,
  captureJson,
  emptyUsage,
  getTracer,
  preciseTime,
  type RunState,
  recordError,
  recordFailureInput,
} from "@flightrec/sdk/bridge";
import * as C from "@flightrec/sdk/conventions";
import type { Span as AgentsSpan, SpanData, SpanError, Trace } from "@openai/agents";
import { ROOT_CONTEXT, type Span, SpanKind, trace } from "@opentelemetry/api";
import { errorOf } from "./span-error.js";
import { finishAttributes } from "./span-finish.js";
import { planOf } from "./span-plan.js";
import { takeToolError } from "./tool-errors.js";
import { TurnStep } from "./turn-step.js";

type AnyAgentsSpan = AgentsSpan<SpanData>;

/** An Agents SDK span while it is open: its OTel span, and the step it is in. */
interface OpenSpan {
  otel: Span;
  step: TurnStep | undefined;
  /** Folded into its parent: `otel` is the parent's, and ending it ends nothing. */
  folded: boolean;
}

interface MutableRun extends RunState {
  capturedInput: string | undefined;
}

export interface TraceRecorderOptions {
  runId?: ((trace: Trace) => string | undefined) | undefined;
  /** Record messages, tool arguments and results (default true). */
  captureContent?: boolean | undefined;
}

/**
 * One Agents SDK trace as one Flightrec run: the trace is the run span, each span becomes an OTel
 * span under the one its parent became, started and ended when the Agents SDK starts and ends it
 * (so placeholders and heartbeats cover a run that is killed). Steps are numbered in start order.
 */
export class TraceRecorder {
  private readonly run: MutableRun;
  private readonly runSpan: Span;
  private readonly open = new Map<string, OpenSpan>();
  private runError: SpanError | undefined;
  private outputText: string | undefined;
  private ended = false;
  private readonly content: boolean;

  constructor(agentsTrace: Trace, options: TraceRecorderOptions) {
    this.content = options.captureContent !== false;
    const name = agentsTrace.name;
    this.run = {
      name,
      runId: options.runId?.(agentsTrace) ?? agentsTrace.traceId,
      requestId: agentsTrace.groupId ?? randomUUID(),
      attempt: 1,
      nextStepIndex: 1,
      capturedInput: undefined,
      usage: emptyUsage(),
    };
    this.runSpan = getTracer().startSpan(`${C.GEN_AI_OPERATION.invokeAgent} ${name}`, {
      root: true,
      kind: SpanKind.INTERNAL,
      startTime: preciseTime(),
      attributes: addRunAttributes(
        {
          [C.ATTR_SPAN_KIND]: "run",
          [C.GEN_AI_OPERATION_NAME]: C.GEN_AI_OPERATION.invokeAgent,
          [C.GEN_AI_AGENT_NAME]: name,
          [C.GEN_AI_CONVERSATION_ID]: this.run.runId,
          "openai_agents.trace.id": agentsTrace.traceId,
          ...(agentsTrace.metadata && Object.keys(agentsTrace.metadata).length > 0
            ? { "openai_agents.trace.metadata": captureJson(agentsTrace.metadata) }
            : {}),
        },
        this.run,
      ),
    });
  }

  spanStarted(span: AnyAgentsSpan): void {
    const parent = this.parentOf(span);
    const plan = planOf(span.spanData);
    if (plan.kind === "fold") {
      this.open.set(span.spanId, { ...parent, folded: true });
      return;
    }
    const index = plan.kind === "step" ? this.run.nextStepIndex++ : undefined;
    const attributes = addRunAttributes({ ...plan.attributes }, this.run, parent.step);
    if (index !== undefined) attributes[C.ATTR_STEP_INDEX] = index;
    const otel = getTracer().startSpan(
      plan.name,
      {
        kind: plan.kind === "llm" ? SpanKind.CLIENT : SpanKind.INTERNAL,
        startTime: preciseTime(),
        attributes,
      },
      trace.setSpan(ROOT_CONTEXT, parent.otel),
    );
    const step = index === undefined ? parent.step : new TurnStep(plan.name, index, otel);
    if (span.spanData.type === "function") step?.calledTool(span.spanData.name);
    this.open.set(span.spanId, { otel, step, folded: false });
  }

  spanEnded(span: AnyAgentsSpan): void {
    const entry = this.open.get(span.spanId);
    if (!entry) return;
    this.open.delete(span.spanId);
    const thrown = span.spanData.type === "function" ? takeToolError(span.spanId) : undefined;
    if (!entry.folded) this.finish(entry, span, thrown);
    // An error on a span the runner opens at the top (its task span) is the run's. The Agents SDK
    // does not end a trace whose run threw: the run ends here, once nothing else in it is open.
    if (span.error && !span.parentId) {
      this.runError ??= span.error;
      if (this.open.size === 0) this.end();
    }
  }

  /** True once the run span ended: by the trace's end, or by its runner failing. */
  get isEnded(): boolean {
    return this.ended;
  }

  private finish(entry: OpenSpan, span: AnyAgentsSpan, thrown: unknown): void {
    const { otel } = entry;
    const finished = finishAttributes(otel, span.spanData, {
      run: this.run,
      content: this.content,
      ...(entry.step ? { step: entry.step } : {}),
    });
    if (finished.input !== undefined) this.run.capturedInput ??= finished.input;
    if (finished.outputText) this.outputText = finished.outputText;
    if (finished.replied) entry.step?.replied();
    if (span.spanData.type === "handoff") entry.step?.handedOff(span.spanData.to_agent);
    if (span.spanData.type === "turn" && entry.step) {
      const name = entry.step.finalName();
      otel.updateName(name);
      otel.setAttribute(C.ATTR_STEP_NAME, name);
    }
    const error = span.error ?? trippedGuardrail(span.spanData);
    if (error) {
      recordError(otel, errorOf(error, thrown));
      recordFailureInput(otel, finished.arguments, this.run);
    }
    otel.end(preciseTime());
  }

  /** The trace ended: the run ends, in error when the runner's top span failed. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const now = preciseTime();
    for (const entry of this.open.values()) if (!entry.folded) entry.otel.end(now);
    this.open.clear();
    if (this.run.capturedInput !== undefined)
      this.runSpan.setAttribute(C.ATTR_RUN_INPUT, this.run.capturedInput);
    if (this.runError) {
      recordError(this.runSpan, errorOf(this.runError));
    } else if (this.outputText !== undefined) {
      this.runSpan.setAttribute(C.ATTR_RUN_OUTPUT, captureJson(this.outputText));
    }
    this.runSpan.end(now);
  }

  private parentOf(span: AnyAgentsSpan): Omit<OpenSpan, "folded"> {
    const parent = span.parentId ? this.open.get(span.parentId) : undefined;
    return parent ?? { otel: this.runSpan, step: undefined };
  }
}

/**
 * A guardrail whose tripwire triggered stops the run, yet the Agents SDK marks only the agent span
 * failed: the guardrail's own span is made the failure, so the replay's root cause points at it.
 */
function trippedGuardrail(data: SpanData): SpanError | undefined {
  if (data.type !== "guardrail" || !data.triggered) return undefined;
  return {
    message: `Guardrail ${data.name} tripwire triggered`,
    data: { error: `GuardrailTripwireTriggered: guardrail ${data.name} tripwire triggered` },
  };
}
