// Hex dump lines: offset, 16 bytes in hex (two groups of 8), and printable ASCII (others as ".").
export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

export const BYTES_PER_LINE = 16;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".";
}

/** One line per 16 bytes of `bytes`, starting at `start`, for at most `maxBytes` bytes. */
export function hexDumpLines(bytes: Uint8Array, start = 0, maxBytes = bytes.length): HexLine[] {
  const end = Math.min(bytes.length, start + maxBytes);
  const lines: HexLine[] = [];
  for (let at = start; at < end; at += BYTES_PER_LINE) {
    const stop = Math.min(end, at + BYTES_PER_LINE);
    const hex: string[] = [];
    let ascii = "";
    for (let i = at; i < at + BYTES_PER_LINE; i++) {
      if (i < stop) {
        const b = bytes[i]!;
        hex.push(HEX[b]!);
        ascii += printable(b);
      } else hex.push("  ");
      if (i - at === 7) hex.push("");
    }
    lines.push({ offset: at.toString(16).padStart(8, "0"), hex: hex.join(" "), ascii });
  }
  return lines;
}

/** A line as text, the way `hexdump -C` lays it out: `00000000  de ad be ef …  |....|`. */
export function formatHexLine(line: HexLine): string {
  return `${line.offset}  ${line.hex}  |${line.ascii}|`;
}
