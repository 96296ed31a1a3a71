import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type OwnerCookie = typeof import("@/lib/auth/owner-cookie");

const SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-01234"; // 40 characters
let dataDir: string;
let mod: OwnerCookie;

const hmac = (secret: string, key: string) => createHmac("sha256", secret).update(`owner:${key}`).digest("base64url");

beforeAll(async () => {
  expect(SECRET).toHaveLength(40);
  dataDir = mkdtempSync(path.join(tmpdir(), "hookscope-unit-"));
  vi.stubEnv("SECRET", SECRET);
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("PUBLIC_URL", "http://localhost:3000");
  // lib/runtime/shared.ts keeps singletons on globalThis: make sure no secret is cached from elsewhere.
  (await import("@/lib/runtime/shared")).resetShared("secret");
  mod = await import("@/lib/auth/owner-cookie");
});

afterAll(() => {
  vi.unstubAllEnvs();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("owner cookie", () => {
  it.each(["own_abcdefghijklmnopqrstuvwx", "own_with.dots.inside", "k", "own_-_-_"])("round trips %j", (key) => {
    const cookie = mod.encodeOwnerCookie(key);
    expect(mod.decodeOwnerCookie(cookie)).toEqual({ ownerKey: key });
  });

  it("is signed with SECRET (HMAC-SHA256 over 'owner:<key>')", () => {
    const key = "own_abc";
    expect(mod.encodeOwnerCookie(key)).toBe(`${key}.${hmac(SECRET, key)}`);
    // With SECRET configured no secret file is generated in DATA_DIR.
    expect(existsSync(path.join(dataDir, "secret.key"))).toBe(false);
  });

  const key = "own_abcdefghijklmnopqrstuvwx";
  const tamper = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);

  it.each([
    { name: "undefined", value: () => undefined },
    { name: "empty", value: () => "" },
    { name: "no dot", value: () => key },
    { name: "empty key", value: () => `.${hmac(SECRET, "")}` },
    { name: "empty signature", value: () => `${key}.` },
    { name: "tampered key", value: () => mod.encodeOwnerCookie(key).replace("own_a", "own_b") },
    { name: "key swapped onto another key's signature", value: () => `own_other.${hmac(SECRET, key)}` },
    { name: "tampered signature (first char)", value: () => tamper(mod.encodeOwnerCookie(key), key.length + 1) },
    { name: "tampered signature (last char)", value: () => tamper(mod.encodeOwnerCookie(key), mod.encodeOwnerCookie(key).length - 1) },
    { name: "truncated signature", value: () => mod.encodeOwnerCookie(key).slice(0, -1) },
    { name: "extended signature", value: () => `${mod.encodeOwnerCookie(key)}A` },
    { name: "signature from another secret", value: () => `${key}.${hmac("x".repeat(40), key)}` },
    { name: "unsigned hex signature", value: () => `${key}.${createHmac("sha256", SECRET).update(`owner:${key}`).digest("hex")}` },
  ])("$name → null", ({ value }) => {
    expect(mod.decodeOwnerCookie(value())).toBeNull();
  });

  it("ownerKeyOrNew keeps a valid cookie and mints a signed one otherwise", () => {
    const kept = mod.ownerKeyOrNew(mod.encodeOwnerCookie(key));
    expect(kept).toEqual({ ownerKey: key });

    const fresh = mod.ownerKeyOrNew(`${key}.forged`);
    expect(fresh.ownerKey).toMatch(/^own_[A-Za-z0-9_-]{24}$/);
    expect(fresh.ownerKey).not.toBe(key);
    const match = /^hs_owner=([^;]+);/.exec(fresh.setCookie ?? "");
    expect(match).not.toBeNull();
    expect(mod.decodeOwnerCookie(match![1])).toEqual({ ownerKey: fresh.ownerKey });
    expect(fresh.setCookie).toContain("HttpOnly");
    expect(fresh.setCookie).toContain("SameSite=Lax");
    expect(fresh.setCookie).not.toContain("Secure");
  });
});
