import { useEffect, useState } from "react";
import type { RunView } from "../model/run-view";

const STATUSES = ["running", "ok", "error", "interrupted"] as const;

export interface RunFiltersProps {
  view: RunView;
  onChange: (patch: Partial<RunView>) => void;
}

/** Filters for the runs table. Text fields apply after a short pause in typing. */
export function RunFilters({ view, onChange }: RunFiltersProps) {
  const toggle = (status: string) =>
    onChange({
      status: view.status.includes(status)
        ? view.status.filter((s) => s !== status)
        : [...view.status, status],
    });
  return (
    <form className="filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
      <DebouncedInput
        label="Search"
        placeholder="run ID, request ID, error…"
        value={view.q}
        onCommit={(q) => onChange({ q })}
        type="search"
        name="q"
      />
      <fieldset className="status-filter">
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label key={s} className={`chip ${view.status.includes(s) ? "chip-on" : ""}`}>
            <input
              type="checkbox"
              name={`status-${s}`}
              checked={view.status.includes(s)}
              onChange={() => toggle(s)}
            />
            {s}
          </label>
        ))}
      </fieldset>
      <DebouncedInput
        label="Name"
        value={view.name}
        onCommit={(name) => onChange({ name })}
        name="name"
        placeholder="exact run name"
      />
      <DebouncedInput
        label="Model"
        value={view.model}
        onCommit={(model) => onChange({ model })}
        name="model"
      />
      <label>
        From
        <input
          type="datetime-local"
          name="from"
          value={view.from}
          onChange={(e) => onChange({ from: e.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="datetime-local"
          name="to"
          value={view.to}
          onChange={(e) => onChange({ to: e.target.value })}
        />
      </label>
      <DebouncedInput
        label="Min cost $"
        value={view.minCost}
        onCommit={(minCost) => onChange({ minCost })}
        name="minCost"
        type="number"
      />
    </form>
  );
}

interface DebouncedInputProps {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  name: string;
  type?: string;
  placeholder?: string;
}

function DebouncedInput({ label, value, onCommit, name, type = "text", placeholder }: DebouncedInputProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => onCommit(draft), 250);
    return () => clearTimeout(timer);
  }, [draft, value, onCommit]);
  return (
    <label>
      {label}
      <input
        type={type}
        name={name}
        value={draft}
        placeholder={placeholder}
        step={type === "number" ? "any" : undefined}
        min={type === "number" ? 0 : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onCommit(draft);
        }}
      />
    </label>
  );
}
