/** Theme choice kept in a cookie so the server renders the right <html> class on first paint. */
export const THEME_COOKIE = "hs_theme";
export type Theme = "system" | "light" | "dark";
export const THEMES: Theme[] = ["system", "light", "dark"];

export function parseTheme(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}
