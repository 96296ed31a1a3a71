// Byte-level helpers shared by the body lenses: searching and ASCII encoding of short needles.

/** The ASCII/latin1 bytes of a short string (boundaries, delimiters). */
export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/**
 * First index of `needle` in `hay` at or after `from`, or -1. Boyer-Moore-Horspool, so a long body
 * full of near-matches stays linear-ish instead of O(n*m).
 */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const m = needle.length;
  const n = hay.length;
  if (m === 0) return Math.min(Math.max(from, 0), n);
  if (m > n) return -1;
  const skip = new Int32Array(256).fill(m);
  for (let i = 0; i < m - 1; i++) skip[needle[i]!] = m - 1 - i;
  let i = Math.max(from, 0);
  const last = needle[m - 1]!;
  while (i <= n - m) {
    const c = hay[i + m - 1]!;
    if (c === last) {
      let j = m - 2;
      while (j >= 0 && hay[i + j] === needle[j]) j--;
      if (j < 0) return i;
    }
    i += skip[c]!;
  }
  return -1;
}

/** Bytes at `pos` equal `prefix`. */
export function startsWithAt(bytes: Uint8Array, prefix: Uint8Array, pos: number): boolean {
  if (pos < 0 || pos + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[pos + i] !== prefix[i]) return false;
  return true;
}

/** A copy of the bytes backed by a plain ArrayBuffer (what Blob and friends want). */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}
