"use client";
// The HQL search bar over the capture list: the highlighted input, autocomplete (field names,
// this endpoint's header names, JSON paths and query names, enum values; recent queries when
// empty), and the inline error under the exact span. The query is parsed in the browser as it is
// typed: a malformed one is shown, never sent; a good one is applied after a short pause (Enter
// applies at once). The API's 422 (a query the server refused) is shown the same way.
import { forwardRef, useEffect, useId, useMemo, useRef, useState } from "react";
import { HqlError } from "@/lib/search/hql/errors";
import { parse } from "@/lib/search/hql/parser";
import { suggest } from "@/lib/search/hql/suggest";
import type { FieldNames } from "@/lib/search/field-names";
import { QueryInput } from "./query-input";
import { SuggestionList, type Suggestion } from "./suggestion-list";
import type { QueryProblem } from "./search-api";
import { useRecentQueries } from "./use-recent-queries";

const APPLY_AFTER_MS = 350;

function problemOf(source: string): QueryProblem | null {
  try {
    parse(source);
    return null;
  } catch (err) {
    if (err instanceof HqlError) return { message: err.message, position: err.position, end: err.end, suggestions: err.suggestions };
    return { message: "This query cannot be read.", position: 0, end: source.length, suggestions: [] };
  }
}

type Item = Suggestion & { from: number; to: number; insert: string };

function itemsAt(listId: string, draft: string, cursor: number, names: FieldNames, recent: readonly string[]): Item[] {
  if (draft.trim() === "") {
    return recent.map((q, i) => ({ id: `${listId}-${i}`, label: q, kind: "recent", from: 0, to: draft.length, insert: q }));
  }
  return suggest(draft, cursor, names).map((s, i) => ({
    id: `${listId}-${i}`,
    label: s.label,
    detail: s.detail,
    kind: s.kind,
    from: s.from,
    to: s.to,
    insert: s.insert,
  }));
}

interface Props {
  /** The applied query (the URL's ?q=). */
  query: string;
  onQueryChange(query: string): void;
  names: FieldNames;
  /** The server's objection to the applied query (a 422 invalid_query), if any. */
  serverProblem: QueryProblem | null;
  /** Where recent queries are kept apart (the endpoint id). */
  scope: string;
  onFocus?(): void;
}

export const SearchBar = forwardRef<HTMLInputElement, Props>(function SearchBar(
  { query, onQueryChange, names, serverProblem, scope, onFocus },
  ref,
) {
  const listId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement | null>(null);
  const [draft, setDraft] = useState(query);
  const [cursor, setCursor] = useState(query.length);
  const [open, setOpen] = useState(false);
  // -1: nothing chosen yet, so Enter runs the query as typed (arrows choose; Tab takes the first).
  const [active, setActive] = useState(-1);
  const { recent, remember } = useRecentQueries(scope);

  // A query applied from outside (a saved view, the address) replaces what is typed; the echo of one this bar
  // applied itself does not (the address updates a moment later, and what was typed meanwhile, an autocomplete
  // pick say, must stay).
  const echoed = useRef<string | null>(null);
  useEffect(() => {
    if (query === echoed.current) {
      echoed.current = null;
      return;
    }
    echoed.current = null;
    setDraft(query);
    setCursor(query.length);
  }, [query]);

  const localProblem = useMemo(() => problemOf(draft), [draft]);
  const problem = localProblem ?? (draft === query ? serverProblem : null);
  const items = useMemo(() => (open ? itemsAt(listId, draft, cursor, names, recent) : []), [open, listId, draft, cursor, names, recent]);
  const shown = open && items.length > 0;

  const latest = useRef({ query, onQueryChange });
  latest.current = { query, onQueryChange };
  useEffect(() => {
    if (localProblem || draft === latest.current.query) return;
    // Checked again when it fires: Enter may have applied this draft already, and a stale apply would
    // undo a query chosen meanwhile (a saved view clicked while the address is still changing).
    const t = setTimeout(() => {
      if (draft !== latest.current.query) {
        echoed.current = draft;
        latest.current.onQueryChange(draft);
      }
    }, APPLY_AFTER_MS);
    return () => clearTimeout(t);
  }, [draft, localProblem]);

  const apply = (text: string) => {
    if (problemOf(text)) return;
    if (text !== query) {
      echoed.current = text;
      onQueryChange(text);
    }
    remember(text);
  };

  const pick = (index: number) => {
    const item = items[index];
    if (!item) return;
    const next = draft.slice(0, item.from) + item.insert + draft.slice(item.to);
    const at = item.from + item.insert.length;
    setDraft(next);
    setCursor(at);
    setActive(-1);
    // A field name ending in ":" or "." continues (its value, or the names under it); anything else is done.
    setOpen(/[:.]$/.test(item.insert));
    if (item.kind === "recent") apply(next);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!shown) return setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a < 0 ? (step > 0 ? 0 : items.length - 1) : (a + step + items.length) % items.length));
    } else if (e.key === "Enter" && shown && items[active]) {
      e.preventDefault();
      pick(active);
    } else if (e.key === "Tab" && shown && !e.shiftKey) {
      e.preventDefault();
      pick(Math.max(0, active));
    } else if (e.key === "Enter") {
      e.preventDefault();
      setOpen(false);
      apply(draft);
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (shown) setOpen(false);
      else e.currentTarget.blur();
    }
  };

  const setRefs = (el: HTMLInputElement | null) => {
    input.current = el;
    if (typeof ref === "function") ref(el);
    else if (ref) ref.current = el;
  };

  return (
    <div className="relative min-w-0 flex-1">
      <label htmlFor={`${listId}-input`} className="sr-only">
        Search captures
      </label>
      <QueryInput
        ref={setRefs}
        id={`${listId}-input`}
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown ? items[active]?.id : undefined}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        placeholder='Search: method:POST json.user.id:42 "timeout"  ( / )'
        value={draft}
        problem={problem}
        onChange={(text, at) => {
          setDraft(text);
          setCursor(at);
          setActive(-1);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => setCursor(e.currentTarget.selectionStart ?? draft.length)}
        onClick={(e) => {
          setCursor(e.currentTarget.selectionStart ?? draft.length);
          setOpen(true);
        }}
        onFocus={() => {
          setOpen(true);
          onFocus?.();
        }}
        onBlur={() => {
          setOpen(false);
          if (draft === query) remember(draft);
        }}
      />
      {shown ? <SuggestionList id={listId} items={items} active={active} onPick={pick} onHover={setActive} /> : null}
      {problem ? (
        <p id={errorId} role="alert" data-testid="query-error" className="mt-0.5 text-[11px] text-rose-600 dark:text-rose-400">
          {problem.message}
          {problem.suggestions.length > 0 ? ` Try: ${problem.suggestions.join(", ")}` : ""}
        </p>
      ) : null}
    </div>
  );
});
