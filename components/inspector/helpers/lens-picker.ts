// Which lens a body opens in: by content type first, then by sniffing the bytes.
import { controlByteRatio } from "./text-decode";

export type Lens = "json" | "text" | "hex";

export const LENSES: { id: Lens; label: string }[] = [
  { id: "json", label: "JSON" },
  { id: "text", label: "Raw text" },
  { id: "hex", label: "Hex" },
];

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isJsonType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return t === "application/json" || t.endsWith("+json") || t === "text/json";
}

function isTextType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return (
    t.startsWith("text/") ||
    t === "application/x-www-form-urlencoded" ||
    t === "application/xml" ||
    t.endsWith("+xml") ||
    t === "application/javascript" ||
    t === "application/graphql"
  );
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < Math.min(bytes.length, 256); i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return b;
  }
  return undefined;
}

export function pickLens(contentType: string | null, bytes: Uint8Array): Lens {
  if (bytes.length === 0) return "text";
  const binary = controlByteRatio(bytes) > 0.1;
  if (isJsonType(contentType) && !binary) return "json";
  if (isTextType(contentType) && !binary) return "text";
  if (binary) return "hex";
  const first = firstNonSpace(bytes);
  if (first === 0x7b || first === 0x5b) return "json";
  return "text";
}
