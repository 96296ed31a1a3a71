"use client";
// The body through a lens: picked from the content type and bytes, switchable by hand. A body with a
// Content-Encoding (gzip, deflate in the browser; brotli by the server) is decoded for viewing,
// bounded against bombs; the lenses then see the decoded bytes, and "As stored" switches back to
// the exact stored (compressed) bytes. A masked body of a compressed request arrives already
// decoded by the server (masking has to see the text): it is shown as it is, never decoded again.
import { useEffect, useMemo, useState } from "react";
import type { HeaderPairs } from "@/lib/model/capture";
import type { BodyMaskEntry } from "@/lib/redaction/mask";
import { contentEncodings, decodeContent, type DecodeResult } from "@/lib/body/decode";
import { decodeOnServer } from "./decode-on-server";
import { formatBytes } from "./format";
import { LENSES, availableLenses, pickLens, type Lens } from "./lenses/registry";
import { FormLens } from "./lenses/form-lens";
import { HexLens } from "./lenses/hex-lens";
import { HtmlLens } from "./lenses/html-lens";
import { ImageLens } from "./lenses/image-lens";
import { JsonLens } from "./lenses/json-lens";
import { MultipartLens } from "./lenses/multipart-lens";
import { LensNote, SubTabs } from "./lenses/sub-tabs";
import { TextLens } from "./lenses/text-lens";
import { XmlLens } from "./lenses/xml-lens";

function LensPanel({
  lens,
  bytes,
  contentType,
  masked,
}: {
  lens: Lens;
  bytes: Uint8Array;
  contentType: string | null;
  masked?: readonly BodyMaskEntry[];
}) {
  switch (lens) {
    case "json":
      return <JsonLens bytes={bytes} masked={masked} />;
    case "form":
      return <FormLens bytes={bytes} />;
    case "multipart":
      return <MultipartLens bytes={bytes} contentType={contentType} />;
    case "xml":
      return <XmlLens bytes={bytes} />;
    case "html":
      return <HtmlLens bytes={bytes} />;
    case "image":
      return <ImageLens bytes={bytes} />;
    case "hex":
      return <HexLens bytes={bytes} />;
    default:
      return <TextLens bytes={bytes} />;
  }
}

function Lenses({ bytes, contentType, masked }: { bytes: Uint8Array; contentType: string | null; masked?: readonly BodyMaskEntry[] }) {
  const auto = useMemo(() => pickLens(contentType, bytes), [contentType, bytes]);
  const offered = useMemo(() => new Set(availableLenses(contentType, bytes)), [contentType, bytes]);
  const [chosen, setChosen] = useState<Lens | null>(null);
  const lens = chosen ?? auto;
  if (bytes.length === 0) return <p className="text-sm text-zinc-500">No body.</p>;
  return (
    <div className="space-y-3">
      <div
        role="tablist"
        aria-label="Body lens"
        className="inline-flex flex-wrap rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
      >
        {LENSES.filter((l) => offered.has(l.id)).map((l) => (
          <button
            key={l.id}
            type="button"
            role="tab"
            aria-selected={lens === l.id}
            onClick={() => setChosen(l.id)}
            className={`rounded px-3 py-1 text-xs font-medium ${
              lens === l.id
                ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
            }`}
          >
            {l.label}
            {l.id === auto ? <span className="sr-only"> (suggested)</span> : null}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        <LensPanel lens={lens} bytes={bytes} contentType={contentType} masked={masked} />
      </div>
    </div>
  );
}

type Source = "decoded" | "stored";
const NONE: string[] = [];

function useDecoded(bytes: Uint8Array, encodings: string[], decodeUrl: string | undefined): DecodeResult | "pending" | null {
  const key = encodings.join(",");
  const [state, setState] = useState<{ bytes: Uint8Array; key: string; result: DecodeResult } | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    void decodeContent(bytes, key.split(","))
      .then((result) => (result.status === "unsupported" && decodeUrl ? decodeOnServer(decodeUrl, key.split(",")) : result))
      .then((result) => {
        if (live) setState({ bytes, key, result });
      });
    return () => {
      live = false;
    };
  }, [bytes, key, decodeUrl]);
  if (!key) return null;
  return state && state.bytes === bytes && state.key === key ? state.result : "pending";
}

export function BodyViewer({
  bytes,
  contentType,
  headers = [],
  decodeUrl,
  serverDecoded = null,
  storedSize,
  masked,
}: {
  bytes: Uint8Array;
  contentType: string | null;
  headers?: HeaderPairs;
  /** The body URL with decode=1: codings the browser cannot decode (brotli) are decoded by the server. */
  decodeUrl?: string;
  /** The server already undid the Content-Encoding (a masked view): show the bytes as they are. */
  serverDecoded?: "decoded" | "truncated" | null;
  /** The stored (compressed) size, for the note on a server-decoded body. */
  storedSize?: number;
  /** What the server masked in these bytes (a masked view): the lenses mark those values. */
  masked?: readonly BodyMaskEntry[];
}) {
  const allEncodings = useMemo(() => contentEncodings(headers), [headers]);
  const encodings = serverDecoded ? NONE : allEncodings;
  const decoded = useDecoded(bytes, encodings, decodeUrl);
  const [source, setSource] = useState<Source>("decoded");
  if (bytes.length === 0) return <p className="text-sm text-zinc-500">No body.</p>;
  if (serverDecoded) {
    const coding = allEncodings.join(", ") || "its Content-Encoding";
    return (
      <div className="space-y-3">
        <span className="text-xs text-zinc-500">
          Content-Encoding <span className="font-mono">{coding}</span>
        </span>
        {serverDecoded === "truncated" ? (
          <LensNote tone="warn">
            Showing a partial decode: the server stopped decoding {coding} at {formatBytes(bytes.length)} (decompression-bomb guard).
          </LensNote>
        ) : (
          <LensNote>
            Decoded {storedSize !== undefined ? formatBytes(storedSize) : "the body"} of {coding} to {formatBytes(bytes.length)} on the
            server, so that masking could see the text. The stored compressed bytes are not shown in a masked view.
          </LensNote>
        )}
        <Lenses bytes={bytes} contentType={contentType} masked={masked} />
      </div>
    );
  }
  if (decoded === null) return <Lenses bytes={bytes} contentType={contentType} masked={masked} />;

  const coding = encodings.join(", ");
  const usable = decoded !== "pending" && decoded.status !== "unsupported" && (decoded.status !== "failed" || decoded.bytes.length > 0);
  const view = usable && source === "decoded" ? (decoded as { bytes: Uint8Array }).bytes : bytes;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-zinc-500">
          Content-Encoding <span className="font-mono">{coding}</span>
        </span>
        {usable ? (
          <SubTabs
            label="Body bytes"
            options={[
              { id: "decoded", label: "Decoded" },
              { id: "stored", label: "As stored" },
            ]}
            value={source}
            onChange={setSource}
          />
        ) : null}
      </div>
      {decoded === "pending" ? (
        <LensNote>Decoding {coding}…</LensNote>
      ) : decoded.status === "decoded" ? (
        <LensNote>
          Decoded {formatBytes(bytes.length)} of {coding} to {formatBytes(decoded.bytes.length)}.
        </LensNote>
      ) : decoded.status === "truncated" ? (
        <LensNote tone="warn">Showing a partial decode: {decoded.reason}.</LensNote>
      ) : decoded.status === "failed" ? (
        <LensNote tone="warn">
          Could not decode: {decoded.reason}.{usable ? " The part that decoded is shown." : " Showing the stored bytes."}
        </LensNote>
      ) : (
        <LensNote tone="warn">Not decoded: {decoded.reason}. Showing the stored bytes.</LensNote>
      )}
      {decoded === "pending" ? null : <Lenses key={usable ? source : "stored"} bytes={view} contentType={contentType} masked={masked} />}
    </div>
  );
}
