import { useEffect, useState } from "react";

/**
 * j / k move a highlight through a list, Enter opens the highlighted item; keys typed into a
 * field are left alone. Returns the highlighted index (-1: none yet).
 */
export function useListKeys(
  length: number,
  onMove: (index: number) => void,
  onOpen: (index: number) => void,
) {
  const [active, setActive] = useState(-1);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target) || length === 0) return;
      let next: number;
      if (e.key === "j") next = Math.min(length - 1, active + 1);
      else if (e.key === "k") next = Math.max(0, active - 1);
      else if (e.key === "Enter" && active >= 0 && isPageLevel(e.target)) {
        e.preventDefault();
        onOpen(active);
        return;
      } else return;
      e.preventDefault();
      setActive(next);
      onMove(next);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [length, active, onMove, onOpen]);
  return active;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Enter on a focused button or link does its own thing; only Enter on the page opens the row. */
function isPageLevel(target: EventTarget | null): boolean {
  return !(target instanceof HTMLElement) || target === document.body;
}
