import { useState } from "react";
import { applyTheme, nextTheme, storedTheme, type Theme } from "../theme";

const LABEL: Record<Theme, string> = { system: "◐ System", dark: "● Dark", light: "○ Light" };

/** Cycles the theme: system → dark → light → system. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(storedTheme);
  return (
    <button
      type="button"
      className="theme-toggle"
      title={`Colour theme: ${theme} (click for ${nextTheme(theme)})`}
      aria-label={`Colour theme: ${theme}`}
      onClick={() => {
        const next = nextTheme(theme);
        applyTheme(next, true);
        setTheme(next);
      }}
    >
      {LABEL[theme]}
    </button>
  );
}
