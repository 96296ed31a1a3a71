// The one error table (lib/errors.ts): every code the API and the capture door answer with has exactly one
// status, and no throw site picks a status of its own. The scan below reads the sources, so a new free-form code or a
// status written next to a code fails here (and, for AppError / refuse / conflict, already in the typecheck).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { AppError, conflict, ERROR_STATUS, invalid, notFound, statusOf, type ErrorCode } from "@/lib/errors";
import type { EgressErrorCode } from "@/lib/net/egress-error";

const root = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (name === "generated" || name === "node_modules") continue;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

const files = [...sources("lib"), ...sources("app")].map((f) => ({ file: f, text: readFileSync(path.join(root, f), "utf8") }));

/** Code literals at the places an error answer is built. */
const CODE_SITES = [
  /new AppError\(\s*"([a-z_]+)"/g,
  /\bsuper\(\s*"([a-z_]+)"/g,
  /\bconflict\(\s*"([a-z_]+)"/g,
  /\brefuse\(\s*[\w.]+,\s*"([a-z_]+)"/g,
  /error: \{ code: "([a-z_]+)"/g,
];
/** A status written beside a code: the table must be the only place that pairs them. */
const STATUS_BESIDE_CODE = [
  /new AppError\(\s*\d/,
  /\bsuper\(\s*\d{3}\s*,\s*"/,
  /\brefuse\(\s*[\w.]+,\s*\d/,
  /error: \{ code: "[a-z_]+"[^}]*\}\s*\},\s*\{\s*status:\s*\d/,
];

describe("the error table", () => {
  it("maps every code to one HTTP error status", () => {
    const codes = Object.keys(ERROR_STATUS);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(code, code).toMatch(/^[a-z][a-z_]*[a-z]$/);
      expect(Number.isInteger(status) && status >= 400 && status <= 599, `${code}: ${status}`).toBe(true);
    }
    // Written once in the source, too: a duplicated key in an object literal silently keeps the last one.
    const source = readFileSync(path.join(root, "lib/errors.ts"), "utf8");
    for (const code of codes) expect(source.match(new RegExp(`^\\s+${code}: \\d{3},`, "gm"))?.length, code).toBe(1);
  });

  it("is total: every code literal used in lib/ and app/ is in it", () => {
    const missing: string[] = [];
    let seen = 0;
    for (const { file, text } of files) {
      for (const re of CODE_SITES) {
        for (const m of text.matchAll(re)) {
          seen++;
          if (!(m[1]! in ERROR_STATUS)) missing.push(`${file}: ${m[1]}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it("no throw site or door answer writes its own status next to a code", () => {
    const offenders: string[] = [];
    for (const { file, text } of files) {
      if (file === path.join("lib", "http", "errors.ts")) continue;
      for (const re of STATUS_BESIDE_CODE) if (re.test(text)) offenders.push(`${file}: ${re.source}`);
    }
    expect(offenders).toEqual([]);
  });

  it("covers the egress failures replay and forwarding turn into API errors", () => {
    expectTypeOf<EgressErrorCode>().toExtend<ErrorCode>();
    const egress: EgressErrorCode[] = ["invalid_target", "target_forbidden", "dns_failed", "timeout", "network_error", "aborted"];
    for (const code of egress) expect(statusOf(code)).toBe(422);
  });

  it("gives the codes shared by the door and the API one status", () => {
    expect(statusOf("body_too_large")).toBe(413);
    expect(statusOf("storage_unavailable")).toBe(503);
    expect(statusOf("server_busy")).toBe(503);
    expect(statusOf("rate_limited")).toBe(429);
    expect(statusOf("not_found")).toBe(404);
    expect(statusOf("unknown_endpoint")).toBe(404);
    expect(statusOf("internal")).toBe(500);
    expect(statusOf("invalid_request")).toBe(422);
  });

  it("builds errors by code, the status taken from the table", () => {
    expect(new AppError("body_too_large", "x")).toMatchObject({ status: 413, code: "body_too_large", message: "x" });
    expect(new AppError("rate_limited", "slow down", 30)).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(notFound("capture")).toMatchObject({ status: 404, code: "not_found", message: "No such capture." });
    expect(invalid("bad")).toMatchObject({ status: 422, code: "invalid_request" });
    expect(conflict("alias_taken", "taken")).toMatchObject({ status: 409, code: "alias_taken" });
  });
});
