"use client";

import { useEffect, useState } from "react";
import { THEME_COOKIE, THEMES, parseTheme, type Theme } from "./theme";

function currentTheme(): Theme {
  const root = document.documentElement;
  return root.classList.contains("dark") ? "dark" : root.classList.contains("light") ? "light" : "system";
}

const LABEL: Record<Theme, string> = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };
const ICON: Record<Theme, string> = { system: "◐", light: "☀", dark: "☾" };

/** Cycles system → light → dark; the choice is kept in a cookie for server rendering. */
export function ThemeToggle({ className = "" }: { className?: string }) {
  // The server cannot know the system choice; read the rendered <html> class after mount.
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => setTheme(currentTheme()), []);

  function next() {
    const chosen = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!;
    const root = document.documentElement;
    root.classList.remove("light", "dark");
    if (chosen !== "system") root.classList.add(chosen);
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every supported browser; the server reads this cookie to render the theme
    document.cookie = `${THEME_COOKIE}=${chosen}; Path=/; Max-Age=31536000; SameSite=Lax`;
    setTheme(parseTheme(chosen));
  }

  return (
    <button
      type="button"
      onClick={next}
      aria-label={LABEL[theme]}
      title={LABEL[theme]}
      className={`rounded border border-zinc-300 px-2 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800 ${className}`}
    >
      <span aria-hidden>{ICON[theme]}</span>
    </button>
  );
}
