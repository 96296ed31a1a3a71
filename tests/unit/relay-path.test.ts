// The relay CLI appends each capture's sub-path to the --to URL; a sender chooses that sub-path, so one that a
// server would resolve above the base ("/../admin", also percent-encoded, with backslashes or Tomcat's "..;")
// must be recognised (lib/replay/target-url.ts capturePathEscape) and is then not delivered (relay-cli-lib test).
import { describe, expect, it } from "vitest";
import { appendCapturePath, capturePathEscape } from "@/lib/replay/target-url";

describe("capturePathEscape", () => {
  it.each([
    "",
    "/",
    "/stripe",
    "/a/b/c",
    "/a/../b",
    "/a/./b",
    "/a/%2e%2e/b",
    "/a//b",
    "/..a",
    "/a..",
    "/%2e%2efoo",
    "/a/b/../../c",
    "/%2Fetc",
  ])("%j stays under the base", (path) => {
    expect(capturePathEscape(path)).toBeNull();
  });

  it.each([
    "/..",
    "/../admin",
    "/a/../../admin",
    "/%2e%2e/admin",
    "/%2E%2E/admin",
    "/.%2e/admin",
    "/%252e%252e/admin", // double-encoded
    "/a%2f..%2f..%2fadmin", // encoded slashes
    "\\..\\admin",
    "/a\\..\\..\\admin",
    "/a/%5c..%5c..%5cadmin",
    "/..;/admin", // Tomcat path parameter
    "/.. /admin",
    "/.../admin",
    "..",
  ])("%j climbs out", (path) => {
    expect(capturePathEscape(path)).toMatch(/climbs out of the base path/);
  });

  it("the join itself is unchanged (the check is the caller's decision)", () => {
    expect(appendCapturePath("http://localhost:3000/webhooks", { path: "/../admin", query: "" })).toBe(
      "http://localhost:3000/webhooks/../admin",
    );
  });
});
