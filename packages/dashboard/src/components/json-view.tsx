import { useState } from "react";

/**
 * Collapsible JSON. Everything, keys and values alike, renders as React text nodes: data from
 * agents is untrusted and is never interpreted as markup.
 */
export function JsonView({ value, label, open = true }: { value: unknown; label?: string; open?: boolean }) {
  return (
    <div className="json">
      {label ? <div className="json-label">{label}</div> : null}
      <JsonNode value={value} depth={0} defaultOpen={open} />
    </div>
  );
}

const MAX_CHILDREN = 200;

function JsonNode({ value, depth, defaultOpen }: { value: unknown; depth: number; defaultOpen: boolean }) {
  if (value === null || typeof value !== "object") return <JsonScalar value={value} />;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="json-punct">{Array.isArray(value) ? "[]" : "{}"}</span>;
  return (
    <JsonBranch entries={entries} isArray={Array.isArray(value)} depth={depth} defaultOpen={defaultOpen} />
  );
}

function JsonBranch(props: {
  entries: [string, unknown][];
  isArray: boolean;
  depth: number;
  defaultOpen: boolean;
}) {
  const { entries, isArray, depth } = props;
  const [open, setOpen] = useState(props.defaultOpen && depth < 3);
  const [o, c] = isArray ? ["[", "]"] : ["{", "}"];
  return (
    <span className="json-branch">
      <button
        type="button"
        className="json-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title={open ? "Collapse" : "Expand"}
      >
        {open ? "▾" : "▸"} {o}
        {open ? "" : ` ${entries.length} ${isArray ? "items" : "keys"} ${c}`}
      </button>
      {open ? (
        <>
          <ul className="json-children">
            {entries.slice(0, MAX_CHILDREN).map(([key, child]) => (
              <li key={key}>
                {isArray ? null : <span className="json-key">{JSON.stringify(key)}: </span>}
                <JsonNode value={child} depth={depth + 1} defaultOpen={props.defaultOpen} />
              </li>
            ))}
            {entries.length > MAX_CHILDREN ? (
              <li className="muted">… {entries.length - MAX_CHILDREN} more</li>
            ) : null}
          </ul>
          <span className="json-punct">{c}</span>
        </>
      ) : null}
    </span>
  );
}

function JsonScalar({ value }: { value: unknown }) {
  if (typeof value === "string") return <span className="json-string">{JSON.stringify(value)}</span>;
  if (value === undefined) return <span className="json-null">undefined</span>;
  return <span className={value === null ? "json-null" : "json-number"}>{String(value)}</span>;
}
