import { describe, expect, it } from "vitest";
import { checkAddress, parseSubnets, SubnetListError } from "@/lib/net/address";
import { EgressError } from "@/lib/net/egress-error";
import { validateTargetUrl } from "@/lib/net/ssrf";

describe("checkAddress refuses every special-purpose form by default", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.1.1", "link_local"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["fc00::1", "unique_local"],
    ["fd12:3456::1", "unique_local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["2001:db8::1", "reserved"],
    ["100::1", "reserved"], // discard prefix
    ["::ffff:0:7f00:1", "reserved"], // IPv4-translated
    ["64:ff9b:1::a00:1", "reserved"], // local-use NAT64
    ["fec0::1", "reserved"],
    // Cloud metadata
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["fd00:ec2::254", "metadata"],
    ["fd20:ce::254", "metadata"],
  ])("%s is %s", (ip, range) => {
    const r = checkAddress(ip);
    expect(r).not.toBeNull();
    expect(r?.code).toBe("target_forbidden");
    expect(r?.range).toBe(range);
  });

  it.each([
    // IPv4-mapped, -compatible, NAT64, 6to4 and Teredo forms are checked as the IPv4 inside.
    ["::ffff:127.0.0.1", "loopback", "127.0.0.1"],
    ["::ffff:7f00:1", "loopback", "127.0.0.1"],
    ["::ffff:10.1.2.3", "private", "10.1.2.3"],
    ["::ffff:169.254.169.254", "metadata", "169.254.169.254"],
    ["::127.0.0.1", "loopback", "127.0.0.1"],
    ["::a9fe:a9fe", "metadata", "169.254.169.254"],
    ["64:ff9b::7f00:1", "loopback", "127.0.0.1"],
    ["64:ff9b::a9fe:a9fe", "metadata", "169.254.169.254"],
    ["64:ff9b::192.168.0.1", "private", "192.168.0.1"],
    ["2002:7f00:1::", "loopback", "127.0.0.1"],
    ["2002:a9fe:a9fe::", "metadata", "169.254.169.254"],
    ["2002:c0a8:101::1", "private", "192.168.1.1"],
    // Teredo: client 127.0.0.1 stored bitwise-inverted in the last 32 bits.
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback", "127.0.0.1"],
  ])("%s embeds %s (%s)", (ip, range, inner) => {
    const r = checkAddress(ip);
    expect(r?.range).toBe(range);
    expect(r?.message).toContain(inner);
  });

  it.each([
    "8.8.8.8",
    "93.184.215.14",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("%s (public) passes", (ip) => {
    expect(checkAddress(ip)).toBeNull();
  });

  it.each(["", "localhost", "127.1", "0177.0.0.1", "0x7f000001", "2130706433", "1.2.3.4.5", "::g", "[::1"])(
    "%j is not an address: refused (fail closed)",
    (ip) => {
      expect(checkAddress(ip)?.range).toBe("invalid");
    },
  );

  it("names the address and the range in the message", () => {
    expect(checkAddress("127.0.0.1")?.message).toBe("127.0.0.1 is a loopback address");
    expect(checkAddress("10.0.0.1")?.message).toBe("10.0.0.1 is a private address");
    expect(checkAddress("::ffff:127.0.0.1")?.message).toBe("::ffff:7f00:1 embeds 127.0.0.1, a loopback address");
    expect(checkAddress("[::1]")?.message).toBe("::1 is a loopback address");
  });
});

describe("allowed subnets (ALLOWED_FORWARD_SUBNETS)", () => {
  const allowed = parseSubnets("127.0.0.0/8, 10.0.0.0/8 fd00::/8,192.168.1.20");

  it("parses comma- or space-separated CIDRs and bare addresses", () => {
    expect(allowed).toEqual(["127.0.0.0/8", "10.0.0.0/8", "fd00::/8", "192.168.1.20/32"]);
    expect(parseSubnets("")).toEqual([]);
    expect(parseSubnets(undefined)).toEqual([]);
    expect(parseSubnets(" ::1 ")).toEqual(["::1/128"]);
  });

  it.each(["10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "localhost", "10.0.0.0/8/1", "fd00::/129", "127.1/8", "10.0.0.0/-1", "10.0.0.0/a"])(
    "refuses %j with an error naming it",
    (bad) => {
      expect(() => parseSubnets(`127.0.0.0/8,${bad}`)).toThrow(SubnetListError);
      expect(() => parseSubnets(bad)).toThrow(bad);
    },
  );

  it.each(["127.0.0.1", "127.9.9.9", "10.20.30.40", "fd00::5", "192.168.1.20", "::ffff:127.0.0.1", "::ffff:10.0.0.1"])(
    "%s passes when allowed",
    (ip) => {
      expect(checkAddress(ip, allowed)).toBeNull();
    },
  );

  it.each(["192.168.1.21", "172.16.0.1", "::1", "169.254.1.1", "100.64.0.1"])("%s stays refused outside the allowed subnets", (ip) => {
    expect(checkAddress(ip, allowed)).not.toBeNull();
  });

  it("never opens metadata addresses, even inside an allowed subnet", () => {
    const wide = parseSubnets("169.254.0.0/16,100.64.0.0/10,0.0.0.0/0,::/0");
    expect(checkAddress("169.254.1.1", wide)).toBeNull();
    expect(checkAddress("10.0.0.1", wide)).toBeNull();
    for (const ip of [
      "169.254.169.254",
      "100.100.100.200",
      "fd00:ec2::254",
      "::ffff:169.254.169.254",
      "64:ff9b::a9fe:a9fe",
      "2002:a9fe:a9fe::",
    ]) {
      expect(checkAddress(ip, wide)?.range).toBe("metadata");
    }
  });
});

describe("validateTargetUrl", () => {
  const policy = { allowedSubnets: [] as string[] };
  const refused = (url: string, p = policy) => {
    try {
      validateTargetUrl(url, p);
    } catch (err) {
      expect(err).toBeInstanceOf(EgressError);
      return err as EgressError;
    }
    throw new Error(`${url} was accepted`);
  };

  it.each([
    // Decimal, hex, octal and short IPv4 forms are canonicalised by the WHATWG parser first.
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://①②⑦.0.0.1/", "127.0.0.1"],
    ["http://[::1]/", "::1"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"],
    ["http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"],
    ["http://[2002:a9fe:a9fe::]/", "2002:a9fe:a9fe::"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["http://0.0.0.0:8080/", "0.0.0.0"],
    ["http://[::]/", "::"],
  ])("%s is refused as %s", (url, address) => {
    const err = refused(url);
    expect(err.code).toBe("target_forbidden");
    expect(err.refusal?.address).toBe(address);
  });

  it.each([
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata.google.internal./",
    "http://METADATA.GOOG/",
    "http://instance-data/",
  ])("%s (metadata host name) is refused before any lookup", (url) => {
    expect(refused(url).code).toBe("target_forbidden");
  });

  it.each([
    "gopher://example.com/",
    "file:///etc/passwd",
    "ftp://example.com/",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "ws://example.com/",
    "not a url",
    "/relative",
    "http://",
  ])("%s is not a valid target", (url) => {
    expect(refused(url).code).toBe("invalid_target");
  });

  it("refuses userinfo (credentials belong in a header)", () => {
    expect(refused("http://user:pw@example.com/").code).toBe("invalid_target");
    expect(refused("http://user@example.com/").code).toBe("invalid_target");
  });

  it("accepts public hosts and allowed literals; host names wait for the connect-time check", () => {
    expect(validateTargetUrl("https://example.com/hook?x=1", policy).hostname).toBe("example.com");
    expect(validateTargetUrl("http://internal.corp/", policy).hostname).toBe("internal.corp");
    expect(validateTargetUrl("http://127.0.0.1:3000/", { allowedSubnets: ["127.0.0.0/8"] }).port).toBe("3000");
  });

  it("restricts ports when the policy lists them", () => {
    const ports = { allowedSubnets: [], allowedPorts: [80, 443] };
    expect(validateTargetUrl("https://example.com/", ports).hostname).toBe("example.com");
    expect(validateTargetUrl("http://example.com:80/", ports).hostname).toBe("example.com");
    expect(refused("http://example.com:8080/", ports).code).toBe("target_forbidden");
  });
});
