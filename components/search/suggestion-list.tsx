"use client";
// The autocomplete list under the search bar (an ARIA listbox driven from the input: the input
// keeps focus, arrows move `active`, Enter/Tab pick). Items are text; a mouse press picks without
// taking focus from the input.

export interface Suggestion {
  /** Stable id for aria-activedescendant. */
  id: string;
  label: string;
  detail?: string;
  kind: "field" | "value" | "recent";
}

interface Props {
  id: string;
  items: readonly Suggestion[];
  active: number;
  onPick(index: number): void;
  onHover(index: number): void;
}

const KIND_LABEL: Record<Suggestion["kind"], string> = { field: "field", value: "value", recent: "recent" };

export function SuggestionList({ id, items, active, onPick, onHover }: Props) {
  return (
    <div
      id={id}
      role="listbox"
      aria-label="Suggestions"
      className="absolute inset-x-0 top-full z-20 mt-1 max-h-72 overflow-auto rounded-md border border-zinc-200 bg-white py-1 text-xs shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      {items.map((item, i) => (
        <div
          key={item.id}
          id={item.id}
          role="option"
          tabIndex={-1}
          aria-selected={i === active}
          className={`flex cursor-pointer items-baseline gap-2 px-2 py-1 ${i === active ? "bg-indigo-50 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100" : ""}`}
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(i);
          }}
          onMouseEnter={() => onHover(i)}
        >
          <span className="min-w-0 truncate font-mono">{item.label}</span>
          {item.detail ? <span className="min-w-0 flex-1 truncate text-zinc-500">{item.detail}</span> : <span className="flex-1" />}
          <span className="shrink-0 text-[10px] uppercase tracking-wide text-zinc-400">{KIND_LABEL[item.kind]}</span>
        </div>
      ))}
    </div>
  );
}
