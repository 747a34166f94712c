import { useEffect, useState } from "react";

const SHORTCUTS: [keys: string, what: string][] = [
  ["?", "Show or hide this help"],
  ["/", "Search: the run list's search, or find spans in a replay"],
  ["j / k", "Run list: next / previous run; Enter opens it"],
  ["j / →", "Replay: next frame"],
  ["k / ←", "Replay: previous frame"],
  ["Home / End", "Replay: first / last frame"],
  ["Space", "Replay: play / pause"],
  ["Enter / Shift+Enter", "In a replay's search: next / previous match"],
  ["Ctrl+Enter", "SQL: run the query"],
  ["Esc", "Close this help"],
];

/** Where `/` puts the cursor: the page's search field, whichever page is open. */
const SEARCH_FIELD = 'input[name="q"], input[type="search"]';

/** Page-wide keys: `?` toggles the shortcut help, `/` focuses the page's search field. */
export function Shortcuts() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      if (e.key === "?") setOpen((o) => !o);
      else if (e.key === "Escape") setOpen(false);
      else if (e.key === "/") {
        const field = document.querySelector<HTMLInputElement>(SEARCH_FIELD);
        if (!field) return;
        field.focus();
        field.select();
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (!open) return null;
  return (
    <div className="shortcuts-backdrop">
      <div className="shortcuts panel" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
        <h3>Keyboard shortcuts</h3>
        <dl className="facts">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="shortcut">
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}
