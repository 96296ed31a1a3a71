"use client";
// Collapsible JSON tree. Each level renders only when opened, children are paged (a 1,000,000-item
// array shows 100 at a time with "show more"), and very long strings are cut for display. Keys and
// values are React text. Depth only grows as the reader opens levels, so nesting never recurses
// beyond what is on screen.
import { useState } from "react";
import { formatJsonLocation } from "@/lib/body/json-path";
import { MaskedBadge } from "../../ui/data-table";
import type { JsonNode } from "../../../lib/body/json-tree";
import { jsonMaskNote, type JsonMasks } from "../masking";

export const TREE_PAGE = 100;
const STRING_DISPLAY_CHARS = 2000;
/**
 * Levels opened on first view: the root, its children when there are few, and their children when
 * there are very few. At most 100 × 10 × 10 rows render before the reader opens anything.
 */
function openByDefault(depth: number, count: number, siblings: number): boolean {
  return depth === 0 || (depth === 1 && count <= 50) || (depth === 2 && count <= 10 && siblings <= 10);
}

function childCount(node: JsonNode): number {
  return node.kind === "object" ? node.entries.length : node.kind === "array" ? node.items.length : 0;
}

function Scalar({ node, maskNote }: { node: JsonNode; maskNote: string | null }) {
  if (node.kind === "string") {
    const long = node.value.length > STRING_DISPLAY_CHARS;
    return (
      <>
        <span className={`break-all ${maskNote ? "text-violet-700 dark:text-violet-300" : "text-emerald-700 dark:text-emerald-400"}`}>
          &quot;{long ? node.value.slice(0, STRING_DISPLAY_CHARS) : node.value}&quot;
          {long ? (
            <span className="text-zinc-500"> … {(node.value.length - STRING_DISPLAY_CHARS).toLocaleString()} more characters</span>
          ) : null}
        </span>
        {maskNote ? <MaskedBadge title={maskNote} className="ml-2 select-none" /> : null}
      </>
    );
  }
  if (node.kind === "number") return <span className="text-sky-700 dark:text-sky-400">{node.raw}</span>;
  if (node.kind === "literal") return <span className="text-violet-700 dark:text-violet-400">{node.raw}</span>;
  return null;
}

function Key({ name }: { name: string | number | null }) {
  if (name === null) return null;
  if (typeof name === "number") return <span className="text-zinc-400">{name}: </span>;
  return (
    <>
      <span className="text-zinc-800 dark:text-zinc-200">&quot;{name}&quot;</span>
      <span className="text-zinc-500">: </span>
    </>
  );
}

interface NodeProps {
  name: string | number | null;
  node: JsonNode;
  depth: number;
  siblings: number;
  /** Keys from the root to this node, for its location (`$.a[0]`) among the masked ones. */
  path: readonly (string | number)[];
  masks: JsonMasks | null;
}

function TreeNode({ name, node, depth, siblings, path, masks }: NodeProps) {
  const count = childCount(node);
  const [open, setOpen] = useState(() => openByDefault(depth, count, siblings));
  const [shown, setShown] = useState(TREE_PAGE);
  if (node.kind !== "object" && node.kind !== "array") {
    const maskNote = masks && node.kind === "string" ? jsonMaskNote(masks, formatJsonLocation(path), node.value) : null;
    return (
      <li className="pl-4">
        <Key name={name} />
        <Scalar node={node} maskNote={maskNote} />
      </li>
    );
  }
  const [openCh, closeCh] = node.kind === "object" ? ["{", "}"] : ["[", "]"];
  const summary = node.kind === "object" ? `${count} ${count === 1 ? "key" : "keys"}` : `${count} ${count === 1 ? "item" : "items"}`;
  if (count === 0) {
    return (
      <li className="pl-4">
        <Key name={name} />
        <span className="text-zinc-500">
          {openCh}
          {closeCh}
        </span>
      </li>
    );
  }
  const visible = Math.min(shown, count);
  return (
    <li>
      <button
        type="button"
        aria-expanded={open}
        aria-label={`${open ? "Collapse" : "Expand"} ${name === null ? "root" : String(name)}`}
        onClick={() => setOpen(!open)}
        className="inline-block w-4 select-none text-left text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        {open ? "▾" : "▸"}
      </button>
      <Key name={name} />
      <span className="text-zinc-500">{openCh}</span>
      {open ? null : (
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="mx-1 rounded bg-zinc-200 px-1 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400"
        >
          {summary}
        </button>
      )}
      {open ? (
        <>
          {/* biome-ignore lint/a11y/useSemanticElements: the children of a tree item (ARIA tree pattern), not a form fieldset */}
          <ul role="group" className="ml-2 border-l border-zinc-200 pl-2 dark:border-zinc-800">
            {node.kind === "object"
              ? node.entries
                  .slice(0, visible)
                  .map((e, i) => (
                    <TreeNode
                      key={i}
                      name={e.key}
                      node={e.value}
                      depth={depth + 1}
                      siblings={count}
                      path={[...path, e.key]}
                      masks={masks}
                    />
                  ))
              : node.items
                  .slice(0, visible)
                  .map((v, i) => (
                    <TreeNode key={i} name={i} node={v} depth={depth + 1} siblings={count} path={[...path, i]} masks={masks} />
                  ))}
            {visible < count ? (
              <li className="pl-4">
                <button
                  type="button"
                  onClick={() => setShown(Math.min(count, shown * 2))}
                  className="text-[11px] font-medium text-sky-700 hover:underline dark:text-sky-400"
                >
                  Show {Math.min(count - visible, visible).toLocaleString()} more ({(count - visible).toLocaleString()} not shown)
                </button>
              </li>
            ) : null}
          </ul>
          <span className="pl-4 text-zinc-500">{closeCh}</span>
        </>
      ) : (
        <span className="text-zinc-500">{closeCh}</span>
      )}
    </li>
  );
}

/** `masks`: the masked values of this body (a masked view), marked "masked" where they appear. */
export function JsonTreeView({ root, masks = null }: { root: JsonNode; masks?: JsonMasks | null }) {
  return (
    <ul aria-label="JSON" className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 dark:bg-zinc-900">
      <TreeNode name={null} node={root} depth={0} siblings={1} path={[]} masks={masks} />
    </ul>
  );
}
