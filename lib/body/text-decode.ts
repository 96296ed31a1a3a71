// Captured bodies are bytes. Decoding for display must never throw and must say when the bytes are
// not valid UTF-8 (invalid sequences are shown as U+FFFD).
export interface DecodedText {
  text: string;
  validUtf8: boolean;
  /** True when only the first `maxBytes` were decoded. */
  truncated: boolean;
}

export function decodeUtf8(bytes: Uint8Array, maxBytes = Infinity): DecodedText {
  const truncated = bytes.length > maxBytes;
  const slice = truncated ? bytes.subarray(0, maxBytes) : bytes;
  let validUtf8 = true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    validUtf8 = false;
  }
  // A cut in the middle of a multi-byte sequence is not the sender's fault: stream:true drops the tail.
  const text = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(slice, { stream: truncated });
  return { text, validUtf8, truncated };
}

/** Share of bytes that are control characters other than tab, CR, LF (0 for an empty body). */
export function controlByteRatio(bytes: Uint8Array, sample = 4096): number {
  const n = Math.min(bytes.length, sample);
  if (n === 0) return 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) control++;
  }
  return control / n;
}
