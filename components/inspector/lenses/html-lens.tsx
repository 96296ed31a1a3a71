"use client";
// Captured HTML rendered only inside <iframe sandbox=""> (no allow-scripts, no allow-same-origin,
// no forms, no popups, no top navigation) from srcdoc, beside its source as text. The frame also
// gets its own CSP as a first <meta>, so the document cannot even load images, styles or fonts from
// the network or this origin (tracking pixels, requests with our cookies): only inline styles and
// data: images show.
import { useMemo } from "react";
import { decodeUtf8 } from "../../../lib/body/text-decode";
import { LensNote } from "./sub-tabs";
import { TextLens } from "./text-lens";

export const HTML_PREVIEW_BYTES = 2 * 1024 * 1024;
export const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'";

/** The srcdoc for a captured document: our CSP meta first (after a leading doctype, if any). */
export function previewDocument(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}

export function HtmlLens({ bytes }: { bytes: Uint8Array }) {
  const decoded = useMemo(() => decodeUtf8(bytes, HTML_PREVIEW_BYTES), [bytes]);
  const doc = useMemo(() => previewDocument(decoded.text), [decoded.text]);
  return (
    <div className="space-y-2">
      <LensNote>Rendered in a sandbox: scripts, forms and network loads are blocked.</LensNote>
      <div className="grid gap-3 lg:grid-cols-2">
        <iframe
          title="HTML preview"
          sandbox=""
          srcDoc={doc}
          referrerPolicy="no-referrer"
          className="h-[60vh] w-full rounded-md border border-zinc-200 bg-white dark:border-zinc-800"
        />
        <div className="min-w-0">
          <TextLens bytes={bytes} />
        </div>
      </div>
    </div>
  );
}
