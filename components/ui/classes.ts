// The kit's class strings, defined once: buttons, inputs, labels, cards, tables and messages. Each
// component composes these (`w-full ${INPUT}`) rather than spelling its own.

export const BUTTON =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const PRIMARY =
  "rounded-md bg-zinc-900 px-3 py-1.5 text-xs font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300";
export const DANGER = "rounded-md bg-rose-600 px-3 py-1.5 text-xs font-medium text-white hover:bg-rose-700 disabled:opacity-50";
export const BIG_SECONDARY =
  "inline-flex items-center justify-center rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const BIG_PRIMARY =
  "inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60";

/** An input's frame (border, background, focus ring) without its size. */
const INPUT_FRAME =
  "rounded-md border border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-900 focus:outline-2 focus:outline-indigo-500";
/** A text input, select or textarea in a form. */
export const INPUT = `${INPUT_FRAME} px-2 py-1.5 text-sm`;
/** A compact input in a toolbar or a table row (list filters, header editor). */
export const INPUT_SMALL = `min-w-0 ${INPUT_FRAME} px-2 py-1 text-xs`;

export const LABEL = "block text-xs font-medium text-zinc-600 dark:text-zinc-400";
export const CARD = "space-y-4 rounded-lg border border-zinc-200 p-4 sm:p-5 dark:border-zinc-800";
export const HEADING = "text-base font-semibold";
export const HINT = "text-xs text-zinc-500 dark:text-zinc-400";
export const ERROR = "whitespace-pre-line text-sm text-rose-600 dark:text-rose-400";
export const TABLE = "w-full text-left text-sm";
export const TH = "px-2 py-1.5 text-xs font-medium uppercase tracking-wide text-zinc-500";
export const TD = "px-2 py-2 align-middle";
/** A compact table of captured data or attempts: its scrolling frame, its header row, a header cell. */
export const DATA_TABLE_FRAME = "overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800";
export const DATA_THEAD = "bg-zinc-50 text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400";
export const DATA_TH = "px-2 py-1.5 font-normal";
