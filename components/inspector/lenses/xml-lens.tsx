import { useMemo } from "react";
import { decodeUtf8 } from "../../../lib/body/text-decode";
import { prettyXml } from "../../../lib/body/xml-pretty";
import { LensNote } from "./sub-tabs";
import { TextLens } from "./text-lens";

/** XML re-indented as text (nothing parsed into a DOM, nothing resolved or run). */
export function XmlLens({ bytes }: { bytes: Uint8Array }) {
  const result = useMemo(() => {
    const decoded = decodeUtf8(bytes, 4 * 1024 * 1024);
    if (decoded.truncated) return { ok: false as const, reason: "larger than 4 MiB" };
    return prettyXml(decoded.text);
  }, [bytes]);
  if (!result.ok) {
    return (
      <div className="space-y-2">
        <LensNote tone="warn">Not shown as XML: {result.reason}. Raw text below.</LensNote>
        <TextLens bytes={bytes} />
      </div>
    );
  }
  return (
    <div className="space-y-2">
      {result.warnings.length > 0 ? <LensNote tone="warn">Malformed XML: {result.warnings.join(" ")}</LensNote> : null}
      {/* biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element */}
      <pre
        role="figure"
        aria-label="XML"
        className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900"
      >
        {result.text}
      </pre>
    </div>
  );
}
