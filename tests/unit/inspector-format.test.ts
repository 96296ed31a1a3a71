import { describe, expect, it } from "vitest";
import { exactUtc, formatBytes, fullCaptureUrl, relativeTime } from "@/components/inspector/format";
import { parseQuery } from "@/lib/body/query-params";
import { decodeUtf8 } from "@/lib/body/text-decode";
import { flattenPages, mergeIntoFirstPage, newestSeq, removeCapture } from "@/components/inspector/merge-captures";

describe("query parameters", () => {
  it("decodes names and values, keeps repeats and order", () => {
    expect(parseQuery("a=1&b=hello+world&a=%C3%A9&flag")).toEqual([
      { name: "a", value: "1", malformed: false },
      { name: "b", value: "hello world", malformed: false },
      { name: "a", value: "é", malformed: false },
      { name: "flag", value: "", malformed: false },
    ]);
  });

  it("tolerates bad escapes by showing them raw", () => {
    expect(parseQuery("x=%E0%A4%A&y=%zz")).toEqual([
      { name: "x", value: "%E0%A4%A", malformed: true },
      { name: "y", value: "%zz", malformed: true },
    ]);
  });

  it("handles empty queries and a leading ?", () => {
    expect(parseQuery("")).toEqual([]);
    expect(parseQuery("?a=b=c")).toEqual([{ name: "a", value: "b=c", malformed: false }]);
  });
});

describe("UTF-8 decoding", () => {
  it("flags invalid bytes and shows replacement characters", () => {
    const r = decodeUtf8(new Uint8Array([0x61, 0xff, 0x62]));
    expect(r).toEqual({ text: "a\uFFFDb", validUtf8: false, truncated: false });
  });

  it("truncates at a cap without a spurious replacement char", () => {
    const r = decodeUtf8(new Uint8Array(Buffer.from("aé")), 2);
    expect(r).toEqual({ text: "a", validUtf8: true, truncated: true });
  });
});

describe("formatters", () => {
  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10.0 MB");
  });

  it("formats relative and exact times", () => {
    expect(relativeTime(1000, 2000)).toBe("just now");
    expect(relativeTime(0, 90_000)).toBe("1m ago");
    expect(exactUtc(1_700_000_000_123)).toBe("2023-11-14T22:13:20.123Z");
  });

  it("builds the full capture URL", () => {
    expect(fullCaptureUrl("http://h/in/t", "/a/b", "x=1")).toBe("http://h/in/t/a/b?x=1");
    expect(fullCaptureUrl("http://h/in/t", "", "")).toBe("http://h/in/t");
  });
});

describe("merging live captures into pages", () => {
  const c = (seq: number) => ({ seq, id: `cap_${seq}` });
  it("prepends new captures newest first and drops duplicates", () => {
    const pages = [
      { captures: [c(5), c(4)], nextBefore: 4 },
      { captures: [c(3)], nextBefore: null },
    ];
    const merged = mergeIntoFirstPage(pages, [c(6), c(5), c(8), c(7)]);
    expect(flattenPages(merged).map((x) => x.seq)).toEqual([8, 7, 6, 5, 4, 3]);
    expect(merged[0]!.nextBefore).toBe(4);
    expect(newestSeq(flattenPages(merged))).toBe(8);
  });

  it("removes a deleted capture", () => {
    const pages = [{ captures: [c(2), c(1)] }];
    expect(flattenPages(removeCapture(pages, "cap_2")).map((x) => x.seq)).toEqual([1]);
  });
});
