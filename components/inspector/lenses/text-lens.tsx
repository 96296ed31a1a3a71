import { useMemo } from "react";
import { decodeUtf8 } from "../../../lib/body/text-decode";

export const TEXT_DISPLAY_BYTES = 1024 * 1024;

export function Utf8Badge() {
  return (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300">
      not valid UTF-8
    </span>
  );
}

export function TruncatedNote({ shown, total }: { shown: number; total: number }) {
  return (
    <p className="text-xs text-zinc-500">
      Showing the first {shown.toLocaleString()} of {total.toLocaleString()} bytes; download the raw body for all of it.
    </p>
  );
}

/** The body as UTF-8 text; invalid sequences show as U+FFFD and are flagged. */
export function TextLens({ bytes }: { bytes: Uint8Array }) {
  const decoded = useMemo(() => decodeUtf8(bytes, TEXT_DISPLAY_BYTES), [bytes]);
  return (
    <div className="space-y-2">
      {!decoded.validUtf8 ? <Utf8Badge /> : null}
      {decoded.truncated ? <TruncatedNote shown={TEXT_DISPLAY_BYTES} total={bytes.length} /> : null}
      {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
      <pre
        role="figure"
        aria-label="Raw text"
        className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-all rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900"
      >
        {decoded.text}
      </pre>
    </div>
  );
}
