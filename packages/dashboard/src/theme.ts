/** The colour theme: the system's (prefers-color-scheme) unless the toggle chose one. */
export type Theme = "system" | "light" | "dark";

const KEY = "flightrec.theme";

export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** Sets `data-theme` on <html> (styles.css reads it) and remembers the choice. */
export function applyTheme(theme: Theme, remember = false): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  if (!remember) return;
  try {
    if (theme === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Storage refused (private mode): the choice holds for this page only.
  }
}

export const nextTheme = (theme: Theme): Theme =>
  theme === "system" ? "dark" : theme === "dark" ? "light" : "system";
