"use client";
// The HQL input: a plain <input> whose text is transparent, over a layer that draws the same text
// coloured by highlight() (fields, operators, values, keywords, errors). The layer is React text,
// never HTML, so a query pasted from a capture cannot inject markup. Both use the same monospace
// font and padding, and the layer follows the input's horizontal scroll. Under it, a caret marker
// (^^^) points at the exact span an error names.
import { forwardRef, useLayoutEffect, useMemo, useRef } from "react";
import { highlight, type HighlightKind } from "@/lib/search/hql/highlight";

const COLOUR: Record<HighlightKind, string> = {
  field: "text-indigo-700 dark:text-indigo-300",
  operator: "text-amber-700 dark:text-amber-300",
  value: "text-emerald-700 dark:text-emerald-300",
  keyword: "font-semibold text-fuchsia-700 dark:text-fuchsia-300",
  paren: "text-zinc-500",
  text: "text-zinc-900 dark:text-zinc-100",
  error: "text-rose-600 underline decoration-wavy decoration-rose-500 dark:text-rose-400",
};

/** Padding and font shared by the input, the coloured layer and the caret marker (they must line up). */
const TEXT = "px-2 py-1.5 font-mono text-xs leading-5 whitespace-pre";

interface Props extends Omit<React.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> {
  value: string;
  onChange(value: string, cursor: number): void;
  /** The span an error names, for the caret marker. */
  problem?: { position: number; end: number } | null;
}

export const QueryInput = forwardRef<HTMLInputElement, Props>(function QueryInput({ value, onChange, problem, className, ...rest }, ref) {
  const layer = useRef<HTMLDivElement>(null);
  const marker = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement | null>(null);
  const spans = useMemo(() => highlight(value), [value]);

  const parts = useMemo(() => {
    const out: { key: number; text: string; kind: HighlightKind | null }[] = [];
    let at = 0;
    for (const s of spans) {
      if (s.start > at) out.push({ key: at, text: value.slice(at, s.start), kind: null });
      if (s.end > s.start && s.start >= at) out.push({ key: s.start, text: value.slice(s.start, s.end), kind: s.kind });
      at = Math.max(at, s.end);
    }
    if (at < value.length) out.push({ key: at, text: value.slice(at), kind: null });
    return out;
  }, [spans, value]);

  const syncScroll = () => {
    const left = input.current?.scrollLeft ?? 0;
    if (layer.current) layer.current.scrollLeft = left;
    if (marker.current) marker.current.scrollLeft = left;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the input scrolls as its text changes; follow it after each render
  useLayoutEffect(syncScroll, [value, problem]);

  const setRefs = (el: HTMLInputElement | null) => {
    input.current = el;
    if (typeof ref === "function") ref(el);
    else if (ref) ref.current = el;
  };

  const width = problem ? Math.max(1, Math.min(problem.end, value.length + 1) - problem.position) : 0;
  return (
    <div className={`min-w-0 ${className ?? ""}`}>
      <div className="relative">
        <div
          ref={layer}
          aria-hidden
          data-testid="query-highlight"
          className={`${TEXT} pointer-events-none absolute inset-0 overflow-hidden rounded-md border border-transparent`}
        >
          {parts.map((p) => (
            <span key={p.key} data-kind={p.kind ?? undefined} className={p.kind ? COLOUR[p.kind] : COLOUR.text}>
              {p.text}
            </span>
          ))}
        </div>
        <input
          ref={setRefs}
          {...rest}
          value={value}
          onChange={(e) => onChange(e.target.value, e.target.selectionStart ?? e.target.value.length)}
          onScroll={syncScroll}
          onSelect={syncScroll}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          className={`${TEXT} relative w-full rounded-md border border-zinc-300 bg-transparent text-transparent caret-zinc-900 selection:bg-indigo-200/60 placeholder:text-zinc-400 focus:outline-2 focus:outline-indigo-500 dark:border-zinc-700 dark:caret-zinc-100 ${problem ? "border-rose-400 dark:border-rose-600" : ""}`}
        />
      </div>
      {problem ? (
        <div
          ref={marker}
          aria-hidden
          data-testid="query-caret"
          className={`${TEXT} overflow-hidden py-0 leading-3 text-rose-600 dark:text-rose-400`}
        >
          {" ".repeat(Math.min(problem.position, value.length))}
          {"^".repeat(width)}
        </div>
      ) : null}
    </div>
  );
});
