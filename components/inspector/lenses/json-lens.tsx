"use client";
import { useMemo, useState } from "react";
import { parseJsonTree } from "../helpers/json-tree";
import { decodeUtf8 } from "../helpers/text-decode";
import { prettyJson } from "../helpers/json-pretty";
import { JsonTreeView } from "./json-tree-view";
import { LensNote, SubTabs } from "./sub-tabs";
import { TextLens } from "./text-lens";

const LIMITS = { maxInputChars: 2 * 1024 * 1024, maxDepth: 64, maxOutputChars: 4 * 1024 * 1024 };

type View = "tree" | "pretty" | "raw";
const VIEWS: { id: View; label: string }[] = [
  { id: "tree", label: "Tree" },
  { id: "pretty", label: "Pretty" },
  { id: "raw", label: "Raw" },
];

/**
 * JSON as a collapsible tree (default), as pretty text (tokens as sent, only whitespace changed;
 * capped in depth and size) or raw. Anything too large, too deep or not JSON falls back to the raw
 * text with the reason.
 */
export function JsonLens({ bytes }: { bytes: Uint8Array }) {
  const [view, setView] = useState<View>("tree");
  const text = useMemo(() => (bytes.length > LIMITS.maxInputChars ? null : decodeUtf8(bytes).text), [bytes]);
  const tree = useMemo(() => {
    if (view !== "tree") return null;
    if (text === null) return { ok: false as const, reason: `larger than ${LIMITS.maxInputChars / 1048576} MiB` };
    return parseJsonTree(text, { maxInputChars: LIMITS.maxInputChars, maxNodes: 500_000 });
  }, [text, view]);
  const pretty = useMemo(() => {
    if (view !== "pretty") return null;
    if (text === null) return { ok: false as const, reason: `larger than ${LIMITS.maxInputChars / 1048576} MiB` };
    return prettyJson(text, LIMITS);
  }, [text, view]);

  const result = view === "tree" ? tree : view === "pretty" ? pretty : null;
  return (
    <div className="space-y-2">
      <SubTabs label="JSON view" options={VIEWS} value={view} onChange={setView} />
      {result && !result.ok ? (
        <>
          <LensNote tone="warn">Not shown as JSON: {result.reason}. Raw text below.</LensNote>
          <TextLens bytes={bytes} />
        </>
      ) : view === "tree" && tree?.ok ? (
        <JsonTreeView root={tree.root} />
      ) : view === "pretty" && pretty?.ok ? (
        // biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element
        <pre role="figure" aria-label="JSON" className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900">
          {pretty.text}
        </pre>
      ) : (
        <TextLens bytes={bytes} />
      )}
    </div>
  );
}
