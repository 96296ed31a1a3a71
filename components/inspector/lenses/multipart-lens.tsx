"use client";
// multipart bodies part by part: headers, text fields as text, files with the sender's name (shown
// only), type, size and a download of the part's exact bytes.
import { useMemo } from "react";
import { DataTable } from "../../ui/data-table";
import { formatBytes } from "../format";
import { multipartBoundary, parseMultipart, type MultipartPart } from "../../../lib/body/multipart";
import { controlByteRatio, decodeUtf8 } from "../../../lib/body/text-decode";
import { downloadBytes, safeDownloadName } from "./download";
import { LensNote } from "./sub-tabs";
import { TextLens } from "./text-lens";

const FIELD_DISPLAY_BYTES = 64 * 1024;

function isFile(part: MultipartPart): boolean {
  return part.filename !== null || controlByteRatio(part.body) > 0.1;
}

function Part({ part }: { part: MultipartPart }) {
  const file = isFile(part);
  const label = `Part ${part.index + 1}${part.name !== null ? `: ${part.name}` : ""}`;
  const text = useMemo(() => (file ? null : decodeUtf8(part.body, FIELD_DISPLAY_BYTES)), [file, part.body]);
  return (
    <section aria-label={label} className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <h4 className="flex flex-wrap items-baseline gap-x-2 text-xs font-semibold">
        <span className="text-zinc-500">#{part.index + 1}</span>
        <span className="font-mono">{part.name ?? "(no name)"}</span>
        <span className="font-normal text-zinc-500">{file ? "file" : "field"}</span>
      </h4>
      <DataTable
        label={`Part ${part.index + 1} headers`}
        rows={part.headers.map(([name, value]) => ({ name, value }))}
        empty="No part headers."
      />
      {file ? (
        <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
          <span>
            <span className="text-zinc-500">File name </span>
            <span className="break-all font-mono">{part.filename ?? "(none)"}</span>
          </span>
          <span>
            <span className="text-zinc-500">Type </span>
            <span className="font-mono">{part.contentType ?? "(none)"}</span>
          </span>
          <span>
            <span className="text-zinc-500">Size </span>
            <span className="font-mono" title={`${part.body.length} bytes`}>
              {formatBytes(part.body.length)}
            </span>
          </span>
          <button
            type="button"
            onClick={() => downloadBytes(part.body, safeDownloadName(`part-${part.index + 1}`))}
            className="rounded border border-zinc-300 px-2 py-0.5 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Download part {part.index + 1}
          </button>
        </div>
      ) : text ? (
        // biome-ignore lint/a11y/useSemanticElements: a <pre> keeps the whitespace of the text; a <figure> would need a wrapper element
        <pre
          role="figure"
          aria-label={`Value of ${label}`}
          className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 font-mono text-xs dark:bg-zinc-900"
        >
          {text.text}
          {text.truncated ? (
            <span className="text-zinc-500">{`\n… ${(part.body.length - FIELD_DISPLAY_BYTES).toLocaleString()} more bytes`}</span>
          ) : null}
        </pre>
      ) : null}
    </section>
  );
}

export function MultipartLens({ bytes, contentType }: { bytes: Uint8Array; contentType: string | null }) {
  const boundary = multipartBoundary(contentType);
  const result = useMemo(() => (boundary ? parseMultipart(bytes, boundary) : null), [bytes, boundary]);
  if (!result) {
    return (
      <div className="space-y-2">
        <LensNote tone="warn">No multipart boundary in the content type. Raw text below.</LensNote>
        <TextLens bytes={bytes} />
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <LensNote>
        {result.parts.length.toLocaleString()} {result.parts.length === 1 ? "part" : "parts"}, boundary{" "}
        <span className="font-mono">{boundary}</span>
      </LensNote>
      {result.warnings.map((w, i) => (
        <LensNote key={i} tone="warn">
          {w}
        </LensNote>
      ))}
      {result.parts.map((p) => (
        <Part key={p.index} part={p} />
      ))}
    </div>
  );
}
