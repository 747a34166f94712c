import { useState } from "react";
import type { FailureRow, RunRow } from "../../api/schemas";
import { downloadText } from "../../download";
import { parseJsonText } from "../../model/messages";
import { failureTestCase, testCaseFileName } from "../../model/test-case";
import { JsonView } from "../json-view";

export interface FailurePanelProps {
  failure: FailureRow;
  run: RunRow | null;
  /** The run went on after this failure. */
  recovered?: boolean;
}

/** What broke, with the captured failing input ready to become a test case. */
export function FailurePanel({ failure, run, recovered = false }: FailurePanelProps) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const caseJson = () => JSON.stringify(failureTestCase(failure, run), null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(caseJson());
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  const download = () => downloadText(caseJson(), testCaseFileName(failure), "application/json");
  return (
    <section className="panel failure-panel" aria-label="Failure">
      <h4>
        Failure{failure.error_type ? <span className="mono"> · {failure.error_type}</span> : null}
        {recovered ? <span className="muted"> · the run recovered from it</span> : null}
      </h4>
      <p className="error-text failure-message">{failure.message}</p>
      {failure.stack ? (
        <details>
          <summary>Stack trace</summary>
          <pre className="stack">{failure.stack}</pre>
        </details>
      ) : null}
      {failure.input !== null ? (
        <JsonView label="Failing input" value={parseJsonText(failure.input)} />
      ) : (
        <p className="muted">No input was captured for this failure.</p>
      )}
      {failure.context !== null ? (
        <JsonView label="Context" value={parseJsonText(failure.context)} open={false} />
      ) : null}
      <div className="actions">
        <button type="button" onClick={copy}>
          Copy as test case
        </button>
        <button type="button" onClick={download}>
          Download JSON
        </button>
        <span role="status" className="muted">
          {copied === "copied"
            ? "Copied to clipboard."
            : copied === "failed"
              ? "Clipboard unavailable; use Download."
              : ""}
        </span>
      </div>
    </section>
  );
}
