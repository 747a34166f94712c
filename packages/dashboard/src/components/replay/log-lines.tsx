import type { LogRow } from "../../api/schemas";
import { formatDuration } from "../../format";
import { logAttributes, logLevel, logMessage } from "../../model/log-lines";
import { JsonView } from "../json-view";

/** What the step's own code logged while it ran (OTLP log records with its span ID), at their moment. */
export function LogLines({ lines, runStartMs }: { lines: readonly LogRow[]; runStartMs: number }) {
  return (
    <section className="panel log-lines" aria-label="Log lines">
      <h4>Log lines ({lines.length})</h4>
      <ol>
        {lines.map((line) => {
          const level = logLevel(line);
          const attributes = logAttributes(line);
          return (
            <li key={line.log_id} className="log-line" data-level={level}>
              <span className="muted mono">+{formatDuration(Date.parse(line.ts) - runStartMs)}</span>{" "}
              <span className={`log-level log-${level}`}>{level}</span>{" "}
              <span className="log-message">{logMessage(line)}</span>
              {attributes ? <JsonView label="Attributes" value={attributes} open={false} /> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
