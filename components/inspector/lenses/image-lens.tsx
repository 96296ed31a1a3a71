"use client";
// PNG, JPEG, GIF and WebP previews from a blob: URL of the exact bytes, typed by their magic bytes
// (never by the sender's content type). SVG never comes here.
import { useEffect, useState } from "react";
import { copyBytes } from "../../../lib/body/bytes";
import { sniffImage } from "../../../lib/body/image-sniff";
import { LensNote } from "./sub-tabs";

export function ImageLens({ bytes }: { bytes: Uint8Array }) {
  const type = sniffImage(bytes);
  const [url, setUrl] = useState<string | null>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  const [broken, setBroken] = useState(false);
  useEffect(() => {
    if (!type) return;
    const u = URL.createObjectURL(new Blob([copyBytes(bytes)], { type }));
    setUrl(u);
    setBroken(false);
    setSize(null);
    return () => URL.revokeObjectURL(u);
  }, [bytes, type]);
  if (!type) return <LensNote tone="warn">Not a PNG, JPEG, GIF or WebP image (judged by its first bytes).</LensNote>;
  return (
    <div className="space-y-2">
      <LensNote>
        {type}
        {size ? `, ${size.w} × ${size.h} px` : ""}
        {broken ? " — the image data could not be decoded" : ""}
      </LensNote>
      {url ? (
        // eslint-disable-next-line @next/next/no-img-element -- a blob: URL of captured bytes, not an optimisable asset
        // biome-ignore lint/performance/noImgElement: a blob: URL of the captured bytes; next/image must not fetch or optimise it
        <img
          src={url}
          alt="Preview of the body"
          onLoad={(e) => setSize({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
          onError={() => setBroken(true)}
          className="max-h-[60vh] max-w-full rounded-md border border-zinc-200 bg-[repeating-conic-gradient(#e4e4e7_0%_25%,transparent_0%_50%)] bg-[length:16px_16px] dark:border-zinc-800"
        />
      ) : null}
    </div>
  );
}
