// ALLOWED_FORWARD_SUBNETS and the forward timeouts: parsed at start-up, a bad entry stops it with
// the variable named; credentials are dropped from replays unless asked for.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig as parseConfigEnv } from "@/lib/config";
import { dropCredentials } from "@/lib/replay/policy";
import { DEFAULT_SECRET_HEADERS } from "@/lib/redaction/rules";

// Next's types make NODE_ENV a required ProcessEnv key; these tests pass partial environments.
const parseConfig = (vars: Record<string, string>) => parseConfigEnv(vars as unknown as NodeJS.ProcessEnv);

describe("replay and forwarding configuration", () => {
  it("defaults: no private subnets, 5 s to connect, 15 s in all", () => {
    const c = parseConfig({});
    expect(c.ALLOWED_FORWARD_SUBNETS).toEqual([]);
    expect(c.FORWARD_CONNECT_TIMEOUT_MS).toBe(5000);
    expect(c.FORWARD_TIMEOUT_MS).toBe(15_000);
  });

  it("parses a comma- or space-separated list into CIDRs", () => {
    const c = parseConfig({ ALLOWED_FORWARD_SUBNETS: "127.0.0.0/8, 10.1.2.3  fd00::/8" });
    expect(c.ALLOWED_FORWARD_SUBNETS).toEqual(["127.0.0.0/8", "10.1.2.3/32", "fd00::/8"]);
  });

  it("names the variable and the bad entry", () => {
    expect(() => parseConfig({ ALLOWED_FORWARD_SUBNETS: "10.0.0.0/8, intranet" })).toThrow(ConfigError);
    expect(() => parseConfig({ ALLOWED_FORWARD_SUBNETS: "10.0.0.0/33" })).toThrow(/ALLOWED_FORWARD_SUBNETS.*prefix length/);
    expect(() => parseConfig({ FORWARD_TIMEOUT_MS: "5" })).toThrow(/FORWARD_TIMEOUT_MS/);
  });

  it("FORWARD_LEASE_MS: unset follows the send's timeout + 30 s; set, it must outlast the send by a second", () => {
    expect(parseConfig({}).FORWARD_LEASE_MS).toBeUndefined();
    const fast = { FORWARD_TIMEOUT_MS: "2000", FORWARD_CONNECT_TIMEOUT_MS: "1000" };
    expect(parseConfig({ ...fast, FORWARD_LEASE_MS: "3000" }).FORWARD_LEASE_MS).toBe(3000);
    expect(() => parseConfig({ ...fast, FORWARD_LEASE_MS: "2999" })).toThrow(/FORWARD_LEASE_MS.*3000/);
    // The connection's timeout counts when it is the longer one (5 s by default).
    expect(() => parseConfig({ FORWARD_TIMEOUT_MS: "2000", FORWARD_LEASE_MS: "5000" })).toThrow(/FORWARD_LEASE_MS.*6000/);
    expect(() => parseConfig({ FORWARD_LEASE_MS: "10000" })).toThrow(/FORWARD_LEASE_MS/);
  });

  it("drops every credential header the masking hides by default (any case), keeps signatures and order", () => {
    expect(
      dropCredentials([
        ["Host", "x"],
        ["AUTHORIZATION", "Bearer s"],
        ["Stripe-Signature", "t=1,v1=a"],
        ["cookie", "a=b"],
        ["Proxy-Authorization", "Basic x"],
        ["X-Api-Key", "k"],
        ["x-gitlab-token", "glpat"],
        ["X-Webhook-Secret", "s"],
        ["X-Hub-Signature-256", "sha256=00"],
        ["X-Tokenish", "kept: not *-Token"],
      ]),
    ).toEqual([
      ["Host", "x"],
      ["Stripe-Signature", "t=1,v1=a"],
      ["X-Hub-Signature-256", "sha256=00"],
      ["X-Tokenish", "kept: not *-Token"],
    ]);
  });

  it("the credential set is the masking's: every default secret header that is not a signature", () => {
    for (const name of DEFAULT_SECRET_HEADERS) {
      const example = name.replace("*", "X-Example");
      const kept = dropCredentials([[example, "v"]]).length === 1;
      expect(kept, example).toBe(/signature|hmac/i.test(name));
    }
  });
});
