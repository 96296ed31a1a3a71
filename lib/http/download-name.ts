// The file name of a body download, from our own parts only: the capture id, what the bytes are
// (decoded, masked, still encoded as stored) and an extension picked from the content type by a
// fixed table. The sender's content type only ever selects an entry of the table, so it cannot
// choose a path or an extension outside it. Pure, shared by the server (Content-Disposition) and
// the dashboard (the link's `download` name and "copy as", which must name the same file).
//
// A small table rather than mime-db: the only mime library in node_modules (mime-types) is a
// transitive development dependency, not installed in production.

const EXTENSIONS: Record<string, string> = {
  "application/json": "json",
  "application/ld+json": "json",
  "application/x-ndjson": "ndjson",
  "application/xml": "xml",
  "text/xml": "xml",
  "text/plain": "txt",
  "text/csv": "csv",
  "text/markdown": "md",
  "text/calendar": "ics",
  "application/x-www-form-urlencoded": "txt",
  "application/yaml": "yaml",
  "application/x-yaml": "yaml",
  "text/yaml": "yaml",
  "application/pdf": "pdf",
  "application/zip": "zip",
  "application/gzip": "gz",
  "application/protobuf": "pb",
  "application/x-protobuf": "pb",
  "application/grpc": "bin",
  "application/octet-stream": "bin",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
  "image/bmp": "bmp",
  "image/x-icon": "ico",
  "image/vnd.microsoft.icon": "ico",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "video/mp4": "mp4",
  "video/webm": "webm",
  // Captured content is data: types a browser would run when the saved file is opened (HTML, SVG,
  // scripts) are saved as text, so a double-click shows the source instead of running it.
  "text/html": "txt",
  "application/xhtml+xml": "txt",
  "image/svg+xml": "txt",
  "text/javascript": "txt",
  "application/javascript": "txt",
};

/** Extensions for bytes still under a Content-Encoding (the download is the stored bytes). */
const CODING_EXTENSIONS: Record<string, string> = { gzip: "gz", br: "br", deflate: "deflate", zstd: "zst", compress: "Z" };

/** The extension for a content type: the table, then `+json` / `+xml` suffixes, text/*; `bin` otherwise. */
export function extensionFor(contentType: string | null | undefined): string {
  const media = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const known = EXTENSIONS[media];
  if (known) return known;
  if (media.endsWith("+json")) return "json";
  if (media.endsWith("+xml")) return "xml";
  if (media.startsWith("text/")) return "txt";
  return "bin";
}

export interface DownloadNameParts {
  /** The capture id (already our own characters; anything else is replaced). */
  id: string;
  /** The content type as the view shows it. */
  contentType: string | null | undefined;
  /** The bytes are the decoded form of an encoded body. */
  decoded: boolean;
  /** Something in the bytes was masked (or the body was withheld). */
  masked: boolean;
  /** Content-Encoding codings still applied to the bytes (stored bytes of an encoded body), in order. */
  encodings?: readonly string[];
}

/** `cap_1.json`, `cap_1.masked.json`, `cap_1.decoded.json`, `cap_1.json.gz` (the stored gzip bytes). */
export function bodyDownloadName({ id, contentType, decoded, masked, encodings = [] }: DownloadNameParts): string {
  const stem = id.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 80) || "body";
  const codings = decoded ? [] : encodings.map((c) => CODING_EXTENSIONS[c.toLowerCase()] ?? "bin");
  return [stem, ...(decoded ? ["decoded"] : []), ...(masked ? ["masked"] : []), extensionFor(contentType), ...codings].join(".");
}
