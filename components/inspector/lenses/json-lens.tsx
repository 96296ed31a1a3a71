"use client";
import { useMemo, useState } from "react";
import type { BodyMaskEntry } from "@/lib/redaction/mask";
import { MaskedBadge } from "../../ui/data-table";
import { parseJsonTree } from "../../../lib/body/json-tree";
import { decodeUtf8 } from "../../../lib/body/text-decode";
import { prettyJson, type PrettyMark } from "../../../lib/body/json-pretty";
import { jsonMaskNote, jsonMasks } from "../masking";
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
 * text with the reason. In a masked view (`masked`: the server's list of what it masked), masked
 * values carry a visible "masked" mark in the tree and the pretty text, so `"[REDACTED]"` never
 * reads as data (and data that says "[REDACTED]" is not marked).
 */
export function JsonLens({ bytes, masked }: { bytes: Uint8Array; masked?: readonly BodyMaskEntry[] }) {
  const [view, setView] = useState<View>("tree");
  const masks = useMemo(() => jsonMasks(masked), [masked]);
  const text = useMemo(() => (bytes.length > LIMITS.maxInputChars ? null : decodeUtf8(bytes).text), [bytes]);
  const tree = useMemo(() => {
    if (view !== "tree") return null;
    if (text === null) return { ok: false as const, reason: `larger than ${LIMITS.maxInputChars / 1048576} MiB` };
    return parseJsonTree(text, { maxInputChars: LIMITS.maxInputChars, maxNodes: 500_000 });
  }, [text, view]);
  const pretty = useMemo(() => {
    if (view !== "pretty") return null;
    if (text === null) return { ok: false as const, reason: `larger than ${LIMITS.maxInputChars / 1048576} MiB` };
    return prettyJson(text, LIMITS, masks ? (location, value) => jsonMaskNote(masks, location, value) : undefined);
  }, [text, view, masks]);

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
        <JsonTreeView root={tree.root} masks={masks} />
      ) : view === "pretty" && pretty?.ok ? (
        // biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element
        <pre
          role="figure"
          aria-label="JSON"
          className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900"
        >
          {pretty.marks?.length ? <MarkedText text={pretty.text} marks={pretty.marks} /> : pretty.text}
        </pre>
      ) : (
        <TextLens bytes={bytes} />
      )}
    </div>
  );
}

/** The pretty text with its marked (masked) values set apart and badged; everything stays React text. */
function MarkedText({ text, marks }: { text: string; marks: readonly PrettyMark[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  marks.forEach((m, i) => {
    if (m.start > at) parts.push(text.slice(at, m.start));
    parts.push(
      <span key={i}>
        <span className="text-violet-700 dark:text-violet-300">{text.slice(m.start, m.end)}</span>
        <MaskedBadge title={m.note} className="ml-2 select-none" />
      </span>,
    );
    at = m.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
