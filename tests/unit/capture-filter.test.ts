import { describe, expect, it } from "vitest";
import {
  bodyContains,
  captureFilterSchema,
  filterParams,
  headersContain,
  isFiltering,
  matchesCapture,
  matchesSummary,
  normalizeFilter,
} from "@/lib/capture/filter";

const enc = (s: string) => new TextEncoder().encode(s);

describe("capture filter predicate (shared by the API and live arrivals)", () => {
  const capture = {
    method: "POST",
    path: "/stripe/Events",
    headers: [
      ["Content-Type", "application/json"],
      ["X-Sig", "t=1,v1=ABC"],
    ] as [string, string][],
    body: enc('{"type":"invoice.paid","name":"José"}'),
  };

  it("method is exact (case-folded), path a case-insensitive substring", () => {
    expect(matchesSummary({ method: "post" }, capture)).toBe(true);
    expect(matchesSummary({ method: "GET" }, capture)).toBe(false);
    expect(matchesSummary({ path: "stripe/events" }, capture)).toBe(true);
    expect(matchesSummary({ path: "github" }, capture)).toBe(false);
    expect(matchesSummary(null, capture)).toBe(true);
  });

  it("q matches header lines or the body text", () => {
    expect(headersContain(capture.headers, "x-sig: t=1")).toBe(true);
    expect(headersContain(capture.headers, "invoice")).toBe(false);
    expect(bodyContains(capture.body, "INVOICE.PAID")).toBe(true);
    expect(bodyContains(capture.body, "josé")).toBe(true);
    expect(bodyContains(new Uint8Array([0xff, 0x41]), "a")).toBe(true);
    expect(bodyContains(new Uint8Array(), "a")).toBe(false);
    expect(matchesCapture({ q: "v1=abc" }, capture)).toBe(true);
    expect(matchesCapture({ q: "paid", method: "POST", path: "stripe" }, capture)).toBe(true);
    expect(matchesCapture({ q: "paid", method: "PUT" }, capture)).toBe(false);
    expect(matchesCapture({ q: "absent" }, capture)).toBe(false);
  });

  it("normalizes, serializes and validates", () => {
    expect(normalizeFilter({ method: " get ", path: "", q: "  " })).toEqual({ method: "GET" });
    expect(normalizeFilter({})).toBeNull();
    expect(isFiltering({ path: "" })).toBe(false);
    expect(filterParams({ method: "POST", path: "/a b", q: "x&y" })).toBe("method=POST&path=%2Fa+b&q=x%26y");
    expect(filterParams(null)).toBe("");
    expect(captureFilterSchema.parse({ method: "post", path: "", q: "x" })).toEqual({ method: "POST", q: "x" });
    expect(captureFilterSchema.safeParse({ method: "PO ST" }).success).toBe(false);
    expect(captureFilterSchema.safeParse({ q: "x".repeat(513) }).success).toBe(false);
  });
});
