import { useCallback, useEffect, useRef, useState } from "react";
import { useLocation } from "react-router";
import {
  clampCursor,
  cursorFromSearch,
  nextPlayCursor,
  playInterval,
  searchForCursor,
} from "../model/replay-cursor";
import type { SpanTree } from "../model/span-tree";

export interface ReplayCursor {
  index: number;
  length: number;
  playing: boolean;
  speed: number;
  go: (index: number) => void;
  step: (delta: number) => void;
  togglePlay: () => void;
  setSpeed: (speed: number) => void;
}

const currentSearch = () => new URLSearchParams(window.location.search);

/**
 * The replay position. It is React state (so a key press renders at once) mirrored into the
 * URL with history.replaceState (so a link opens that exact step); a navigation, such as a link
 * from the failures page, reads it back from the URL. `framing` names how spans are grouped
 * into frames: when it changes (plumbing shown or folded) the cursor stays on its span.
 */
export function useReplayCursor(tree: SpanTree, framing = ""): ReplayCursor {
  const location = useLocation();
  const length = tree.nodes.length;
  const [rawIndex, setIndex] = useState(() => cursorFromSearch(currentSearch(), tree));
  const index = clampCursor(rawIndex, length);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);

  // New data (a live run grew) or a navigation: find the span the URL names in the new tree.
  // A cursor on the last frame follows the run as it grows.
  const lastLength = useRef(length);
  const lastFraming = useRef(framing);
  // biome-ignore lint/correctness/useExhaustiveDependencies: location.key marks a navigation; the URL itself is read from window
  useEffect(() => {
    const previous = lastLength.current;
    const reframed = lastFraming.current !== framing;
    lastLength.current = length;
    lastFraming.current = framing;
    setIndex((i) =>
      !reframed && length > previous && i === previous - 1
        ? length - 1
        : cursorFromSearch(currentSearch(), tree),
    );
  }, [tree, location.key]);

  useEffect(() => {
    const next = searchForCursor(currentSearch(), tree, index).toString();
    if (next !== currentSearch().toString()) {
      window.history.replaceState(window.history.state, "", `${window.location.pathname}?${next}`);
    }
  }, [tree, index]);

  const go = useCallback((next: number) => setIndex(clampCursor(next, length)), [length]);
  const step = useCallback((delta: number) => setIndex((i) => clampCursor(i + delta, length)), [length]);
  const togglePlay = useCallback(() => {
    setPlaying((p) => {
      if (!p) setIndex((i) => (i >= length - 1 ? 0 : i)); // play from the start when at the end
      return !p;
    });
  }, [length]);

  useEffect(() => {
    if (!playing) return;
    const timer = setTimeout(() => {
      const next = nextPlayCursor(index, length);
      if (next === null) setPlaying(false);
      else setIndex(next);
    }, playInterval(speed));
    return () => clearTimeout(timer);
  }, [playing, index, length, speed]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isEditable(e.target)) return;
      if (e.key === "ArrowRight" || e.key === "j") step(1);
      else if (e.key === "ArrowLeft" || e.key === "k") step(-1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(length - 1);
      else if (e.key === " ") togglePlay();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [step, go, togglePlay, length]);

  return { index, length, playing, speed, go, step, togglePlay, setSpeed };
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === "INPUT" ||
    target.tagName === "TEXTAREA" ||
    target.tagName === "SELECT"
  );
}
