// Class names shared by the account and workspace pages (same look as the inspector's forms).
export { BUTTON, DANGER, PRIMARY } from "./dialog";

export const INPUT =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900 focus:outline-2 focus:outline-indigo-500";
export const LABEL = "block text-xs font-medium text-zinc-600 dark:text-zinc-400";
export const CARD = "space-y-4 rounded-lg border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800";
export const HEADING = "text-base font-semibold";
export const HINT = "text-xs text-zinc-500 dark:text-zinc-400";
export const ERROR = "whitespace-pre-line text-sm text-rose-600 dark:text-rose-400";
export const TABLE = "w-full text-left text-sm";
export const TH = "px-2 py-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500";
export const TD = "px-2 py-2 align-middle";
export const BIG_SECONDARY =
  "inline-flex items-center justify-center rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const BIG_PRIMARY =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60";
