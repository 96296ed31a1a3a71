// Which lens a body opens in: by content type first, then by sniffing the bytes. Also which lenses
// make sense for a body at all, so the manual switch only offers those.
import { sniffImage } from "../../../lib/body/image-sniff";
import { multipartBoundary } from "../../../lib/body/multipart";
import { controlByteRatio } from "../../../lib/body/text-decode";

export type Lens = "json" | "form" | "multipart" | "xml" | "html" | "image" | "text" | "hex";

export const LENSES: { id: Lens; label: string }[] = [
  { id: "json", label: "JSON" },
  { id: "form", label: "Form" },
  { id: "multipart", label: "Multipart" },
  { id: "xml", label: "XML" },
  { id: "html", label: "HTML" },
  { id: "image", label: "Image" },
  { id: "text", label: "Raw text" },
  { id: "hex", label: "Hex" },
];

export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function isJsonType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return t === "application/json" || t.endsWith("+json") || t === "text/json";
}

export function isFormType(contentType: string | null): boolean {
  return mediaType(contentType) === "application/x-www-form-urlencoded";
}

export function isHtmlType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return t === "text/html" || t === "application/xhtml+xml";
}

export function isXmlType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  // SVG included: as XML it is only ever text, never rendered.
  return t === "application/xml" || t === "text/xml" || t.endsWith("+xml");
}

function isTextType(contentType: string | null): boolean {
  const t = mediaType(contentType);
  return t.startsWith("text/") || t === "application/javascript" || t === "application/graphql";
}

function firstNonSpace(bytes: Uint8Array): number {
  for (let i = 0; i < Math.min(bytes.length, 256); i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return i;
  }
  return -1;
}

function headAscii(bytes: Uint8Array, n = 64): string {
  const start = firstNonSpace(bytes);
  if (start < 0) return "";
  let s = "";
  for (let i = start; i < Math.min(bytes.length, start + n); i++) s += String.fromCharCode(bytes[i]!);
  return s.toLowerCase();
}

function looksLikeHtml(head: string): boolean {
  return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") || head.startsWith("<body");
}

/** `a=1&b=two` with no spaces or line breaks: what a form body looks like. */
function looksLikeForm(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 2048);
  if (n === 0) return false;
  let eq = false;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0x3d) eq = true;
    else if (b <= 0x20 || b >= 0x7f || b === 0x22 || b === 0x3c || b === 0x7b) return false;
  }
  return eq && bytes[0] !== 0x3d;
}

export function pickLens(contentType: string | null, bytes: Uint8Array): Lens {
  if (bytes.length === 0) return "text";
  if (sniffImage(bytes)) return "image";
  if (multipartBoundary(contentType)) return "multipart";
  const binary = controlByteRatio(bytes) > 0.1;
  if (binary) return "hex";
  if (isJsonType(contentType)) return "json";
  if (isFormType(contentType)) return "form";
  if (isHtmlType(contentType)) return "html";
  if (isXmlType(contentType)) return "xml";
  const head = headAscii(bytes);
  if (isTextType(contentType)) return mediaType(contentType) === "text/plain" || !head.startsWith("<?xml") ? "text" : "xml";
  if (head.startsWith("{") || head.startsWith("[")) return "json";
  if (looksLikeHtml(head)) return "html";
  if (head.startsWith("<?xml")) return "xml";
  if (!contentType && looksLikeForm(bytes)) return "form";
  return "text";
}

/** The lenses offered for a body: always JSON, raw text and hex, plus those that fit it. */
export function availableLenses(contentType: string | null, bytes: Uint8Array): Lens[] {
  const auto = pickLens(contentType, bytes);
  const head = headAscii(bytes);
  const markup = head.startsWith("<");
  const fits: Record<Lens, boolean> = {
    json: true,
    form: isFormType(contentType) || looksLikeForm(bytes),
    multipart: multipartBoundary(contentType) !== null,
    xml: isXmlType(contentType) || isHtmlType(contentType) || markup,
    html: isHtmlType(contentType) || markup,
    image: sniffImage(bytes) !== null,
    text: true,
    hex: true,
  };
  fits[auto] = true;
  return LENSES.filter((l) => fits[l.id]).map((l) => l.id);
}
