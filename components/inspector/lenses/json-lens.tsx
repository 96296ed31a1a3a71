import { useMemo } from "react";
import { decodeUtf8 } from "../helpers/text-decode";
import { prettyJson } from "../helpers/json-pretty";
import { TextLens } from "./text-lens";

const LIMITS = { maxInputChars: 2 * 1024 * 1024, maxDepth: 64, maxOutputChars: 4 * 1024 * 1024 };

/** Pretty JSON (tokens as sent, only whitespace changed); capped, else the raw text with the reason. */
export function JsonLens({ bytes }: { bytes: Uint8Array }) {
  const result = useMemo(() => {
    if (bytes.length > LIMITS.maxInputChars) return { ok: false as const, reason: `larger than ${LIMITS.maxInputChars / 1048576} MiB` };
    return prettyJson(decodeUtf8(bytes).text, LIMITS);
  }, [bytes]);
  if (!result.ok) {
    return (
      <div className="space-y-2">
        <p role="note" className="text-xs text-amber-700 dark:text-amber-400">
          Not shown as JSON: {result.reason}. Raw text below.
        </p>
        <TextLens bytes={bytes} />
      </div>
    );
  }
  return (
    <pre aria-label="JSON" className="max-h-[70vh] overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900">
      {result.text}
    </pre>
  );
}
