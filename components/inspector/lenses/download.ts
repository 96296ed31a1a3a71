// Save exact bytes as a file. The name is ours (never the sender's): the sender's file name is shown
// as text only, so it cannot pick a path, an extension that opens something, or a misleading name.
import { copyBytes } from "../../../lib/body/bytes";

/** A download name built only from our own parts: letters, digits, dashes and a fixed extension. */
export function safeDownloadName(stem: string, ext = "bin"): string {
  const clean =
    stem
      .replace(/[^A-Za-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "download";
  return `${clean}.${ext}`;
}

export function downloadBytes(bytes: Uint8Array, filename: string): void {
  const blob = new Blob([copyBytes(bytes)], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
