import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig as parseConfigEnv } from "@/lib/config";

// Next's types make NODE_ENV a required ProcessEnv key; these tests pass partial environments.
const parseConfig = (vars: Record<string, string>) => parseConfigEnv(vars as unknown as NodeJS.ProcessEnv);

describe("parseConfig", () => {
  it("applies the documented defaults to an empty environment", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      DATA_DIR: "./data",
      MAX_BODY_BYTES: 10_485_760,
      TRUST_PROXY: 0,
      publicUrl: "http://localhost:3000",
      captureBaseUrl: "http://localhost:3000",
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.SECRET).toBeUndefined();
  });

  it.each<{ env: Record<string, string>; key: string; value: unknown }>([
    { env: { PORT: "8080" }, key: "PORT", value: 8080 },
    { env: { PORT: "8080" }, key: "publicUrl", value: "http://localhost:8080" },
    { env: { MAX_BODY_BYTES: "1024" }, key: "MAX_BODY_BYTES", value: 1024 },
    { env: { MAX_BODY_BYTES: "0" }, key: "MAX_BODY_BYTES", value: 0 },
    { env: { PUBLIC_URL: "https://hooks.example.com/" }, key: "publicUrl", value: "https://hooks.example.com" },
    { env: { PUBLIC_URL: "https://hooks.example.com///" }, key: "publicUrl", value: "https://hooks.example.com" },
    { env: { PUBLIC_URL: "https://example.com/hooks/" }, key: "publicUrl", value: "https://example.com/hooks" },
    { env: { PUBLIC_URL: "http://example.com:8080" }, key: "publicUrl", value: "http://example.com:8080" },
    { env: { PUBLIC_URL: "https://a.example/" }, key: "captureBaseUrl", value: "https://a.example" },
    {
      env: { PUBLIC_URL: "https://a.example/", CAPTURE_PUBLIC_URL: "https://in.example/" },
      key: "captureBaseUrl",
      value: "https://in.example",
    },
    { env: { TRUST_PROXY: "true" }, key: "TRUST_PROXY", value: 1 },
    { env: { TRUST_PROXY: "false" }, key: "TRUST_PROXY", value: 0 },
    { env: { TRUST_PROXY: "2" }, key: "TRUST_PROXY", value: 2 },
    { env: { TRUST_PROXY: "31" }, key: "TRUST_PROXY", value: 31 },
    { env: { DATABASE_URL: "postgres://u@h/db" }, key: "DATABASE_URL", value: "postgres://u@h/db" },
    { env: { DATABASE_URL: "postgresql://u@h/db" }, key: "DATABASE_URL", value: "postgresql://u@h/db" },
    { env: { DATABASE_URL: "file:./dev.db" }, key: "DATABASE_URL", value: "file:./dev.db" },
    { env: { NEXT_DEV: "1" }, key: "NEXT_DEV", value: true },
    { env: { NEXT_DEV: "off" }, key: "NEXT_DEV", value: false },
  ])("$env → $key = $value", ({ env, key, value }) => {
    expect((parseConfig(env) as unknown as Record<string, unknown>)[key]).toEqual(value);
  });

  it.each([
    { variable: "PORT", value: "abc" },
    { variable: "PORT", value: "70000" },
    { variable: "PORT", value: "80.5" },
    { variable: "MAX_BODY_BYTES", value: "-1" },
    { variable: "MAX_BODY_BYTES", value: "lots" },
    { variable: "TRUST_PROXY", value: "maybe" },
    { variable: "TRUST_PROXY", value: "-1" },
    { variable: "TRUST_PROXY", value: "32" },
    { variable: "TRUST_PROXY", value: "1.5" },
    { variable: "DATABASE_URL", value: "mysql://x" },
    { variable: "PUBLIC_URL", value: "ftp://x" },
    { variable: "PUBLIC_URL", value: "not a url" },
    { variable: "CAPTURE_PUBLIC_URL", value: "javascript:alert(1)" },
    { variable: "SECRET", value: "too-short" },
    { variable: "NODE_ENV", value: "staging" },
    { variable: "LOG_LEVEL", value: "verbose" },
  ])("$variable=$value throws a ConfigError naming $variable", ({ variable, value }) => {
    let caught: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toMatch(new RegExp(`^\\s*${variable}:`, "m"));
  });

  it("names every bad variable at once", () => {
    expect(() => parseConfig({ PORT: "abc", TRUST_PROXY: "maybe" })).toThrow(/PORT:[\s\S]*TRUST_PROXY:/);
  });
});

describe("empty variables", () => {
  it("treat an empty value as unset, so the default applies", async () => {
    const c = parseConfig({ PORT: "", MAX_BODY_BYTES: "", PUBLIC_URL: "" });
    expect(c.PORT).toBe(3000);
    expect(c.MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(c.publicUrl).toBe("http://localhost:3000");
  });
  it("accept an upper-case scheme in PUBLIC_URL", async () => {
    expect(parseConfig({ PUBLIC_URL: "HTTPS://hooks.example.com/" }).publicUrl).toMatch(/^https:\/\/hooks\.example\.com$/i);
  });
});

describe("ANON_ENDPOINT_TTL", () => {
  it.each([
    ["7d", 7 * 86_400_000],
    ["12h", 12 * 3_600_000],
    ["30m", 30 * 60_000],
    ["45s", 45_000],
    ["90", 90_000],
  ])("%s → %d ms", (value, ms) => {
    expect(parseConfig({ ANON_ENDPOINT_TTL: value }).ANON_ENDPOINT_TTL).toBe(ms);
  });
  it("defaults to 7 days", () => expect(parseConfig({}).ANON_ENDPOINT_TTL).toBe(7 * 86_400_000));
  it.each(["soon", "0s", "-1d", "1w"])("refuses %s naming the variable", (value) => {
    expect(() => parseConfig({ ANON_ENDPOINT_TTL: value })).toThrow(/ANON_ENDPOINT_TTL/);
  });
});
