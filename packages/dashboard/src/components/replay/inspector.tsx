import { useMemo } from "react";
import { errorMessage } from "../../api/api-error";
import type { DecisionRow, FailureRow, LogRow, RunRow, SpanOutline, SpanRow } from "../../api/schemas";
import { formatCost, formatCostWithUnknown, formatDuration, formatTime, formatTokens } from "../../format";
import { useWholeSpan } from "../../hooks/use-whole-span";
import type { Totals } from "../../model/cumulative";
import { llmConversation, llmExtras, spanAttributes, toolCall } from "../../model/frame";
import { parseJsonText } from "../../model/messages";
import { spanStatus } from "../../model/span-status";
import type { SpanNode } from "../../model/span-tree";
import { ChatView } from "../chat-view";
import { JsonView } from "../json-view";
import { StatusBadge } from "../status-badge";
import { FailurePanel } from "./failure-panel";
import { LogLines } from "./log-lines";

export interface InspectorProps {
  node: SpanNode;
  runStartMs: number;
  totals: Totals;
  decisions: DecisionRow[];
  failure: FailureRow | null;
  run: RunRow;
  /** The span failed and the run recovered from it. */
  recovered: boolean;
  /** Plumbing folded into this frame. */
  folded: readonly SpanOutline[];
  /** What this frame's code logged. */
  logs?: readonly LogRow[];
}

/** Everything the agent had at the cursor: totals so far, then the call, decision or failure. */
export function Inspector({
  node,
  runStartMs,
  totals,
  decisions,
  failure,
  run,
  recovered,
  folded,
  logs = [],
}: InspectorProps) {
  const { span } = node;
  const whole = useWholeSpan(run.run_id, span);
  const attrs = useMemo(() => (whole.data ? spanAttributes(whole.data) : NO_ATTRIBUTES), [whole.data]);
  return (
    <article
      className="inspector"
      data-span-id={span.span_id}
      data-kind={span.kind}
      aria-label="Step at cursor"
    >
      <header className="inspector-head">
        <span className={`kind-tag kind-${span.kind}`}>{span.kind}</span>
        <h3>{span.name}</h3>
        <StatusBadge status={spanStatus(span)} recovered={recovered} />
        {span.step_index !== null ? <span className="muted">step {span.step_index}</span> : null}
        {span.attempt > 1 ? <span className="muted">attempt {span.attempt}</span> : null}
      </header>
      <SoFar totals={totals} />
      <dl className="facts">
        <dt>Started</dt>
        <dd>
          +{formatDuration(node.startMs - runStartMs)}{" "}
          <span className="muted">({formatTime(span.started_at)})</span>
        </dd>
        <dt>{span.kind === "llm" ? "Latency" : "Duration"}</dt>
        <dd>{span.status === "running" ? "still running" : formatDuration(span.duration_ms)}</dd>
        {span.model ? (
          <>
            <dt>Model</dt>
            <dd className="mono">
              {span.model}
              {span.provider ? <span className="muted"> · {span.provider}</span> : null}
            </dd>
          </>
        ) : null}
        {span.kind === "llm" ? <LlmFacts span={span} attrs={attrs} /> : null}
      </dl>
      {span.error && !failure ? <p className="error-text span-error">{span.error}</p> : null}
      {failure ? <FailurePanel failure={failure} run={run} recovered={recovered} /> : null}
      {decisions.length ? <Decisions decisions={decisions} /> : null}
      {whole.data ? (
        <SpanBody span={whole.data} attrs={attrs} />
      ) : whole.isError ? (
        <p className="state state-error" data-testid="span-problem">
          Could not load this span's input and output: {errorMessage(whole.error)}
        </p>
      ) : (
        <p className="muted" data-testid="span-loading">
          Loading this span's input and output…
        </p>
      )}
      {logs.length ? <LogLines lines={logs} runStartMs={runStartMs} /> : null}
      {folded.length ? <FoldedPlumbing spans={folded} /> : null}
      <details className="attributes">
        <summary>All attributes</summary>
        {whole.data ? <JsonView value={attrs} open={false} /> : <p className="muted">Loading…</p>}
      </details>
    </article>
  );
}

const NO_ATTRIBUTES: Record<string, unknown> = {};

/** The framework plumbing this frame holds, listed so nothing received is out of reach. */
function FoldedPlumbing({ spans }: { spans: readonly SpanOutline[] }) {
  return (
    <details className="attributes folded-plumbing">
      <summary>Plumbing folded into this frame ({spans.length})</summary>
      <ul>
        {spans.map((s) => (
          <li key={s.span_id}>
            <span className="mono">{s.name}</span>{" "}
            <span className="muted">
              {s.status === "running" ? "still running" : formatDuration(s.duration_ms)}
              {s.status === "error" ? " · failed" : ""}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function LlmFacts({ span, attrs }: { span: SpanOutline; attrs: Record<string, unknown> }) {
  const extras = llmExtras(attrs);
  return (
    <>
      <dt>Tokens</dt>
      <dd>
        {formatTokens(span.input_tokens, span.output_tokens)}
        {extras.cachedInputTokens ? (
          <span className="muted"> · {extras.cachedInputTokens} cached</span>
        ) : null}
        {extras.reasoningTokens ? <span className="muted"> · {extras.reasoningTokens} reasoning</span> : null}
      </dd>
      <dt>Cost</dt>
      {span.cost_usd === null ? (
        <dd title={`No price known for ${span.model ?? "this call's model"}`} data-testid="span-cost">
          unknown
        </dd>
      ) : (
        <dd data-testid="span-cost">{formatCost(span.cost_usd)}</dd>
      )}
      {extras.timeToFirstTokenMs !== null ? (
        <>
          <dt>First token</dt>
          <dd>{formatDuration(extras.timeToFirstTokenMs)}</dd>
        </>
      ) : null}
      {extras.reasoningText ? (
        <>
          <dt>Reasoning</dt>
          <dd className="chat-reasoning chat-text">{extras.reasoningText}</dd>
        </>
      ) : null}
    </>
  );
}

function CostSoFar({ totals }: { totals: Totals }) {
  const cost = formatCostWithUnknown(totals.costUsd, totals.unpricedModels);
  return (
    <strong data-testid="cost-so-far" title={cost.title}>
      {cost.text}
    </strong>
  );
}

function SoFar({ totals }: { totals: Totals }) {
  return (
    <section className="so-far" aria-label="Totals so far" data-testid="so-far">
      <div>
        <span className="muted">time so far</span> <strong>{formatDuration(totals.elapsedMs)}</strong>
      </div>
      <div>
        <span className="muted">tokens so far</span>{" "}
        <strong>{formatTokens(totals.inputTokens, totals.outputTokens)}</strong>
      </div>
      <div>
        <span className="muted">cost so far</span> <CostSoFar totals={totals} />
      </div>
      <div>
        <span className="muted">calls</span>{" "}
        <strong>
          {totals.llmCalls} LLM · {totals.toolCalls} tool
        </strong>
      </div>
    </section>
  );
}

function Decisions({ decisions }: { decisions: DecisionRow[] }) {
  return (
    <section className="panel decisions" aria-label="Decisions">
      <h4>Decisions</h4>
      <ol>
        {decisions.map((d) => (
          <li key={`${d.ts}-${d.action}`} className="decision">
            <div className="decision-action">
              → {d.action}
              {d.cost_usd !== null || d.input_tokens !== null ? (
                <span className="muted decision-spend">
                  {" "}
                  · step had spent {formatTokens(d.input_tokens, d.output_tokens)}, {formatCost(d.cost_usd)}
                </span>
              ) : null}
            </div>
            {d.reasoning ? (
              <div className="decision-reasoning">{d.reasoning}</div>
            ) : (
              <div className="muted">no reasoning recorded</div>
            )}
            {d.details !== null ? (
              <div className="decision-details">
                <JsonView label="Details" value={parseJsonText(d.details)} />
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function SpanBody({ span, attrs }: { span: SpanRow; attrs: Record<string, unknown> }) {
  if (span.kind === "llm") {
    const convo = llmConversation(span, attrs);
    return (
      <section className="panel conversation" aria-label="Conversation">
        <h4>Conversation</h4>
        <ChatView messages={convo.input} empty="No input messages were recorded." />
        <h4>Output</h4>
        <ChatView
          messages={convo.output}
          empty={span.status === "running" ? "Waiting for the answer…" : "No output was recorded."}
        />
      </section>
    );
  }
  if (span.kind === "tool") {
    const call = toolCall(span, attrs);
    return (
      <section className="panel tool-call" aria-label="Tool call">
        <JsonView label="Arguments" value={call.arguments} />
        {/* A tool that threw returned nothing: its error is the outcome, not a `null` result. */}
        {span.status === "error" && (call.result === null || call.result === undefined) ? (
          <div className="tool-threw">
            <span className="json-label">Threw</span>{" "}
            <span className="error-text">{span.error ?? "an error (no message recorded)"}</span>
          </div>
        ) : span.status === "running" && (call.result === null || call.result === undefined) ? (
          <p className="muted">Running: no result yet.</p>
        ) : (
          <JsonView label="Result" value={call.result} />
        )}
      </section>
    );
  }
  if (span.input === null && span.output === null) return null;
  return (
    <section className="panel io" aria-label="Input and output">
      {span.input !== null ? <JsonView label="Input" value={parseJsonText(span.input)} /> : null}
      {span.output !== null ? (
        <JsonView
          label={span.kind === "step" ? "Output (checkpoint)" : "Output"}
          value={parseJsonText(span.output)}
        />
      ) : null}
    </section>
  );
}
