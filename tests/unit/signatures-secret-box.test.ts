import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deriveSecretBoxKey,
  fingerprint,
  isSealedSecret,
  openSecret,
  SecretBoxError,
  sealSecret,
  secretKindPrefix,
  tryOpenSecret,
} from "@/lib/signatures/secret-box";

const KEY = randomBytes(32);
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

function flipChar(text: string, index: number): string {
  const c = text[index]!;
  return text.slice(0, index) + (c === "A" ? "B" : "A") + text.slice(index + 1);
}

function errorCode(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(SecretBoxError);
    return (err as SecretBoxError).code;
  }
}

describe("secret box (AES-256-GCM)", () => {
  it("round-trips secrets, including unicode and the empty string", () => {
    for (const s of [SECRET, "It's a Secret to Everybody", "zoë 🔑 \n trailing ", ""]) {
      const sealed = sealSecret(s, KEY);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/);
      expect(isSealedSecret(sealed)).toBe(true);
      expect(openSecret(sealed, KEY)).toBe(s);
    }
  });

  it("never contains the plaintext and uses a fresh IV every time", () => {
    const a = sealSecret(SECRET, KEY);
    const b = sealSecret(SECRET, KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain("MfKQ9r8G");
    expect(a.split(".")[1]).not.toBe(b.split(".")[1]);
  });

  it("fails cleanly on tampered ciphertext, tag or IV", () => {
    const sealed = sealSecret(SECRET, KEY);
    const [v, iv, tag, ct] = sealed.split(".") as [string, string, string, string];
    expect(errorCode(() => openSecret([v, iv, tag, flipChar(ct, 3)].join("."), KEY))).toBe("auth_failed");
    expect(errorCode(() => openSecret([v, iv, flipChar(tag, 2), ct].join("."), KEY))).toBe("auth_failed");
    expect(errorCode(() => openSecret([v, flipChar(iv, 1), tag, ct].join("."), KEY))).toBe("auth_failed");
    expect(errorCode(() => openSecret([v, iv, tag, ct.slice(0, -2)].join("."), KEY))).toBe("auth_failed");
    expect(tryOpenSecret([v, iv, tag, flipChar(ct, 3)].join("."), KEY)).toBeNull();
  });

  it("fails with another key or other associated data", () => {
    const sealed = sealSecret(SECRET, KEY, "ep_1:stripe");
    expect(openSecret(sealed, KEY, "ep_1:stripe")).toBe(SECRET);
    expect(errorCode(() => openSecret(sealed, randomBytes(32), "ep_1:stripe"))).toBe("auth_failed");
    expect(errorCode(() => openSecret(sealed, KEY, "ep_2:stripe"))).toBe("auth_failed");
    expect(errorCode(() => openSecret(sealed, KEY))).toBe("auth_failed");
  });

  it("rejects malformed values, other versions and wrong key sizes", () => {
    expect(errorCode(() => openSecret("not sealed", KEY))).toBe("malformed");
    expect(errorCode(() => openSecret("v1.a.b", KEY))).toBe("malformed");
    expect(errorCode(() => openSecret("v1.!!.b.c", KEY))).toBe("malformed");
    expect(errorCode(() => openSecret("v1.AAAA.AAAA.AAAA", KEY))).toBe("malformed");
    const sealed = sealSecret(SECRET, KEY);
    expect(errorCode(() => openSecret(sealed.replace(/^v1/, "v9"), KEY))).toBe("unsupported_version");
    expect(errorCode(() => sealSecret(SECRET, randomBytes(16)))).toBe("bad_key");
    expect(errorCode(() => openSecret(sealed, randomBytes(31)))).toBe("bad_key");
    expect(isSealedSecret("whsec_abc")).toBe(false);
  });

  it("derives a stable 32-byte key from the master secret, distinct per label", () => {
    const a = deriveSecretBoxKey("master-secret");
    expect(a).toHaveLength(32);
    expect(deriveSecretBoxKey("master-secret").equals(a)).toBe(true);
    expect(deriveSecretBoxKey("master-secret", "other").equals(a)).toBe(false);
    expect(deriveSecretBoxKey("other-master").equals(a)).toBe(false);
    expect(openSecret(sealSecret(SECRET, a), deriveSecretBoxKey("master-secret"))).toBe(SECRET);
    expect(errorCode(() => deriveSecretBoxKey(""))).toBe("bad_key");
  });
});

describe("fingerprint", () => {
  const sha8 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex").slice(0, 8);

  it("shows only the well-known kind prefix and 8 hex of SHA-256", () => {
    expect(fingerprint(SECRET)).toBe(`whsec_…${sha8(SECRET)}`);
    expect(fingerprint("It's a Secret to Everybody")).toBe(`…${sha8("It's a Secret to Everybody")}`);
    // An arbitrary underscore is not a kind prefix: nothing of the secret is shown.
    expect(fingerprint("Ibxx_5AKakO-3qeNVR61Dw")).toBe(`…${sha8("Ibxx_5AKakO-3qeNVR61Dw")}`);
    expect(secretKindPrefix("pdl_ntfset_01abc")).toBe("pdl_ntfset_");
    expect(secretKindPrefix("whsec_")).toBeNull();
  });

  it("never leaks the secret's characters beyond the prefix and differs per secret", () => {
    const fp = fingerprint(SECRET);
    expect(fp).not.toContain("MfKQ");
    expect(fingerprint(`${SECRET}x`)).not.toBe(fp);
    expect(fingerprint(` ${SECRET}`)).not.toBe(fp);
  });
});
