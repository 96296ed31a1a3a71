import { describe, expect, it } from "vitest";
import { parseCaptureUrl } from "@/lib/capture/ingest";

describe("parseCaptureUrl", () => {
  it.each([
    { url: "/in/tok", key: "tok", path: "", query: "" },
    { url: "/in/tok/", key: "tok", path: "/", query: "" },
    { url: "/in/tok?", key: "tok", path: "", query: "" },
    { url: "/in/tok/a/b?x=1&y=%00", key: "tok", path: "/a/b", query: "x=1&y=%00" },
    { url: "/in/tok/%2F/?a", key: "tok", path: "/%2F/", query: "a" },
    { url: "/in/tok/a%20b/%E2%82%AC", key: "tok", path: "/a%20b/%E2%82%AC", query: "" },
    { url: "/in/tok//double//slash", key: "tok", path: "//double//slash", query: "" },
    { url: "/in/tok?a=1?b=2&c=/in/x", key: "tok", path: "", query: "a=1?b=2&c=/in/x" },
    { url: "/in/tok/p/../q?%zz", key: "tok", path: "/p/../q", query: "%zz" },
    { url: "/in/%74ok/x", key: "%74ok", path: "/x", query: "" },
    { url: "/in/AbC-_09xyz?q", key: "AbC-_09xyz", path: "", query: "q" },
  ])("$url → key $key, path '$path', query '$query' (nothing decoded)", ({ url, key, path, query }) => {
    expect(parseCaptureUrl(url)).toEqual({ key, path, query });
  });

  it.each(["/in/", "/in", "/in/?x=1", "/in//x", "/other", "/", "", "/IN/tok", "in/tok", "//in/tok", "/inn/tok", "/api/in/tok"])(
    "%j → null",
    (url) => {
      expect(parseCaptureUrl(url)).toBeNull();
    },
  );
});
