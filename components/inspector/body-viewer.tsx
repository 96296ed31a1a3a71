"use client";
// The body through a lens: picked from the content type and bytes, switchable by hand.
import { useMemo, useState } from "react";
import { LENSES, pickLens, type Lens } from "./helpers/lens-picker";
import { HexLens } from "./lenses/hex-lens";
import { JsonLens } from "./lenses/json-lens";
import { TextLens } from "./lenses/text-lens";

export function BodyViewer({ bytes, contentType }: { bytes: Uint8Array; contentType: string | null }) {
  const auto = useMemo(() => pickLens(contentType, bytes), [contentType, bytes]);
  const [chosen, setChosen] = useState<Lens | null>(null);
  const lens = chosen ?? auto;
  if (bytes.length === 0) return <p className="text-sm text-zinc-500">No body.</p>;
  return (
    <div className="space-y-3">
      <div role="tablist" aria-label="Body lens" className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
        {LENSES.map((l) => (
          <button
            key={l.id}
            type="button"
            role="tab"
            aria-selected={lens === l.id}
            onClick={() => setChosen(l.id)}
            className={`rounded px-3 py-1 text-xs font-medium ${
              lens === l.id ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
            }`}
          >
            {l.label}
            {l.id === auto ? <span className="sr-only"> (suggested)</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {lens === "json" ? <JsonLens bytes={bytes} /> : lens === "hex" ? <HexLens bytes={bytes} /> : <TextLens bytes={bytes} />}
      </div>
    </div>
  );
}
