import { useMemo } from "react";
import { formatHexLine, hexDumpLines } from "../../../lib/body/hex-dump";
import { TruncatedNote } from "./text-lens";

export const HEX_DISPLAY_BYTES = 64 * 1024;

/** Offset, hex and ASCII columns for the first 64 KiB. */
export function HexLens({ bytes }: { bytes: Uint8Array }) {
  const lines = useMemo(() => hexDumpLines(bytes, 0, HEX_DISPLAY_BYTES), [bytes]);
  return (
    <div className="space-y-2">
      {bytes.length > HEX_DISPLAY_BYTES ? <TruncatedNote shown={HEX_DISPLAY_BYTES} total={bytes.length} /> : null}
      {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
      <pre
        role="figure"
        aria-label="Hex dump"
        className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-5 dark:bg-zinc-900"
      >
        {lines.map((line) => (
          <div key={line.offset} title={formatHexLine(line)}>
            <span className="select-none text-zinc-400">{line.offset}</span>
            {"  "}
            <span>{line.hex}</span>
            {"  "}
            <span className="text-zinc-500">|{line.ascii}|</span>
          </div>
        ))}
      </pre>
    </div>
  );
}
