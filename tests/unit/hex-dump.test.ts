import { describe, expect, it } from "vitest";
import { formatHexLine, hexDumpLines } from "@/lib/body/hex-dump";

describe("hex dump", () => {
  it("lays out offset, two groups of eight and ASCII", () => {
    const bytes = new Uint8Array([...Buffer.from("Hello, world!\n"), 0x00, 0xff, 0x7f]);
    const lines = hexDumpLines(bytes);
    expect(lines).toHaveLength(2);
    expect(formatHexLine(lines[0]!)).toBe("00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  |Hello, world!...|");
    const last = formatHexLine(lines[1]!);
    expect(last).toMatch(/^00000010 {2}7f +\|\.\|$/);
    expect(last.indexOf("|")).toBe(formatHexLine(lines[0]!).indexOf("|"));
  });

  it("pads a short last line so the ASCII column stays aligned", () => {
    const [full] = hexDumpLines(new Uint8Array(16));
    const [short] = hexDumpLines(new Uint8Array(3));
    expect(short!.hex.length).toBe(full!.hex.length);
  });

  it("starts at an offset and stops at a byte cap", () => {
    const bytes = new Uint8Array(100).map((_, i) => i);
    const lines = hexDumpLines(bytes, 32, 20);
    expect(lines.map((l) => l.offset)).toEqual(["00000020", "00000030"]);
    expect(lines[1]!.hex.trim()).toBe("30 31 32 33");
  });

  it("returns nothing for an empty body", () => {
    expect(hexDumpLines(new Uint8Array())).toEqual([]);
  });
});
