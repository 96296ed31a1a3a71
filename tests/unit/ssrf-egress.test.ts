// The SSRF matrix over the egress client itself: refused targets never get a connection, a
// rebinding resolver cannot swap in a private address at connect time, and a redirect to a
// private or metadata address is refused without a second connection.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressError } from "@/lib/net/egress-error";
import { assertTargetAllowed, systemResolver, type ResolvedAddress, type Resolver } from "@/lib/net/ssrf";
import { sendRequest, type SendOptions } from "@/lib/replay/send";

interface Stub {
  port: number;
  connections: number;
  requests: string[];
  server: http.Server;
}

async function stub(host: string, handler: http.RequestListener = (_req, res) => res.end("ok")): Promise<Stub> {
  const s: Stub = { port: 0, connections: 0, requests: [], server: http.createServer() };
  s.server.on("connection", () => s.connections++);
  s.server.on("request", (req, res) => {
    s.requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => s.server.listen(0, host, resolve));
  s.port = (s.server.address() as AddressInfo).port;
  return s;
}

const close = (s: Stub) => new Promise<void>((resolve) => s.server.close(() => resolve()));

/** Test names → fixed answers; anything else goes to the system resolver. */
function fakeDns(table: Record<string, string[]>, calls: string[] = []): Resolver {
  return async (host) => {
    calls.push(host);
    const answer = table[host];
    if (!answer) return systemResolver(host);
    return answer.map((address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

const send = (url: string, extra: Partial<SendOptions> = {}) =>
  sendRequest({
    url,
    method: "GET",
    headers: [],
    body: new Uint8Array(0),
    allowedSubnets: [],
    connectTimeoutMs: 1000,
    totalTimeoutMs: 3000,
    ...extra,
  });

let local: Stub; // 127.0.0.1: reachable, but loopback and so refused unless allowed
let local6: Stub; // ::1

beforeAll(async () => {
  local = await stub("127.0.0.1");
  local6 = await stub("::1");
});
afterAll(async () => {
  await close(local);
  await close(local6);
});

describe("refused with no connection made", () => {
  const dns = fakeDns({
    "internal.test": ["10.0.0.1"],
    "loop.test": ["127.0.0.1"],
    "mixed.test": ["93.184.215.14", "127.0.0.1"],
    "mapped.test": ["::ffff:127.0.0.1"],
  });

  it.each([
    ["http://127.0.0.1:{p}/", "127.0.0.1 is a loopback address"],
    ["http://[::1]:{p6}/", "::1 is a loopback address"],
    ["http://0x7f000001:{p}/", "127.0.0.1 is a loopback address"],
    ["http://2130706433:{p}/", "127.0.0.1 is a loopback address"],
    ["http://0177.0.0.1:{p}/", "127.0.0.1 is a loopback address"],
    ["http://0x7f.1:{p}/", "127.0.0.1 is a loopback address"],
    ["http://[::ffff:127.0.0.1]:{p}/", "embeds 127.0.0.1, a loopback address"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"],
    ["http://[::ffff:169.254.169.254]/", "embeds 169.254.169.254, a cloud metadata address"],
    ["http://[64:ff9b::a9fe:a9fe]/", "embeds 169.254.169.254, a cloud metadata address"],
    ["http://[2002:a9fe:a9fe::]/", "embeds 169.254.169.254, a cloud metadata address"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"],
    ["http://100.100.100.200/", "100.100.100.200 is a cloud metadata address"],
    ["http://10.0.0.1/", "10.0.0.1 is a private address"],
    ["http://192.168.0.1/", "192.168.0.1 is a private address"],
    ["http://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address"],
    ["http://0.0.0.0:{p}/", "0.0.0.0 is an unspecified address"],
    ["http://localhost:{p}/", "127.0.0.1 is a loopback address (localhost resolves to it)"],
    ["http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal is a cloud metadata host name"],
    ["http://internal.test/", "10.0.0.1 is a private address (internal.test resolves to it)"],
    ["http://loop.test:{p}/", "127.0.0.1 is a loopback address (loop.test resolves to it)"],
    ["http://mixed.test:{p}/", "127.0.0.1 is a loopback address (mixed.test resolves to it)"],
    ["http://mapped.test:{p}/", "embeds 127.0.0.1, a loopback address"],
  ])("%s", async (template, message) => {
    const url = template.replace("{p}", String(local.port)).replace("{p6}", String(local6.port));
    const before = local.connections + local6.connections;
    const result = await send(url, { resolver: dns });
    expect(result.error?.code).toBe("target_forbidden");
    expect(result.error?.message).toContain(message);
    expect(result.response).toBeNull();
    expect(local.connections + local6.connections).toBe(before);
  });

  it.each(["gopher://127.0.0.1:70/_x", "file:///etc/passwd", "ftp://example.com/", "http://user:pw@example.com/"])(
    "%s is not a valid target",
    async (url) => {
      const result = await send(url);
      expect(result.error?.code).toBe("invalid_target");
    },
  );

  it("fails closed when the name does not resolve", async () => {
    const result = await send("http://nowhere.test/", { resolver: async () => Promise.reject(new Error("ENOTFOUND")) });
    expect(result.error?.code).toBe("dns_failed");
  });

  it("the same targets pass once the operator allows the subnet (the stub is reachable)", async () => {
    for (const url of [`http://127.0.0.1:${local.port}/a`, `http://0x7f000001:${local.port}/b`, `http://loop.test:${local.port}/c`]) {
      const result = await send(url, { resolver: dns, allowedSubnets: ["127.0.0.0/8"] });
      expect(result.error).toBeNull();
      expect(result.response?.status).toBe(200);
    }
    expect(local.requests.slice(-3)).toEqual(["GET /a", "GET /b", "GET /c"]);
  });

  it("a name with one allowed and one refused address is refused", async () => {
    const dnsMixed = fakeDns({ "half.test": ["127.0.0.1", "10.0.0.1"] });
    const before = local.connections;
    const result = await send(`http://half.test:${local.port}/`, { resolver: dnsMixed, allowedSubnets: ["127.0.0.0/8"] });
    expect(result.error?.message).toContain("10.0.0.1 is a private address");
    expect(local.connections).toBe(before);
  });
});

describe("DNS rebinding", () => {
  it("a resolver answering public, then private, is refused at connect time", async () => {
    const calls: string[] = [];
    let n = 0;
    const rebinding: Resolver = async (host) => {
      calls.push(host);
      return [{ address: n++ === 0 ? "93.184.215.14" : "127.0.0.1", family: 4 }];
    };
    const url = `http://rebind.test:${local.port}/secret`;
    // A check-then-fetch design would pass here and then connect to whatever the next lookup says.
    await expect(assertTargetAllowed(url, { allowedSubnets: [] }, rebinding)).resolves.toBeInstanceOf(URL);
    const before = local.connections;
    const result = await send(url, { resolver: rebinding });
    expect(result.error).toEqual({ code: "target_forbidden", message: "127.0.0.1 is a loopback address (rebind.test resolves to it)." });
    expect(local.connections).toBe(before);
    expect(local.requests).not.toContain("GET /secret");
    expect(calls).toEqual(["rebind.test", "rebind.test"]); // one lookup per connection, and it is the one used
  });

  it("the pre-flight check refuses too when the first answer is already private", async () => {
    const err = await assertTargetAllowed("http://x.test/", { allowedSubnets: [] }, async () => [
      { address: "192.168.1.1", family: 4 },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EgressError);
    expect((err as EgressError).code).toBe("target_forbidden");
  });
});

describe("redirects", () => {
  let publicStub: Stub; // plays a public target: 127.0.0.1 is the only allowed address
  let privateStub: Stub; // 127.0.0.2: loopback, not allowed
  const allowOnlyPublic = ["127.0.0.1/32"];

  beforeAll(async () => {
    privateStub = await stub("127.0.0.2", (_req, res) => res.end("internal secrets"));
    publicStub = await stub("127.0.0.1", (req, res) => {
      const to = req.url?.slice("/to/".length) ?? "";
      res.writeHead(302, { Location: decodeURIComponent(to) }).end();
    });
  });
  afterAll(async () => {
    await close(publicStub);
    await close(privateStub);
  });

  const via = (location: string) => `http://127.0.0.1:${publicStub.port}/to/${encodeURIComponent(location)}`;

  it("are not followed by default: the 302 is the response", async () => {
    const result = await send(via("http://169.254.169.254/"), { allowedSubnets: allowOnlyPublic });
    expect(result.error).toBeNull();
    expect(result.response?.status).toBe(302);
    expect(result.response?.headers).toContainEqual(["Location", "http://169.254.169.254/"]);
    expect(result.redirects).toEqual([]);
  });

  it("a redirect to a private address is refused without a second connection", async () => {
    const target = `http://127.0.0.2:${privateStub.port}/`;
    const result = await send(via(target), { allowedSubnets: allowOnlyPublic, followRedirects: true });
    expect(result.error).toEqual({ code: "target_forbidden", message: "127.0.0.2 is a loopback address." });
    expect(result.response).toBeNull();
    expect(result.redirects).toEqual([{ status: 302, url: target }]);
    expect(privateStub.connections).toBe(0);

    // Control: allowed, the same redirect does reach the second stub.
    const allowed = await send(via(target), { allowedSubnets: ["127.0.0.1/32", "127.0.0.2/32"], followRedirects: true });
    expect(allowed.response?.status).toBe(200);
    expect(new TextDecoder().decode(allowed.response?.body)).toBe("internal secrets");
    expect(privateStub.connections).toBe(1);
  });

  it.each(["http://169.254.169.254/latest/meta-data/", "http://[::ffff:a9fe:a9fe]/", "http://metadata.google.internal/"])(
    "a redirect to %s is refused even with link-local allowed",
    async (location) => {
      const result = await send(via(location), { allowedSubnets: ["127.0.0.1/32", "169.254.0.0/16"], followRedirects: true });
      expect(result.error?.code).toBe("target_forbidden");
      expect(result.redirects).toHaveLength(1);
    },
  );

  it("a redirect to a name resolving privately is refused at connect", async () => {
    const dns = fakeDns({ "sneaky.test": ["127.0.0.2"] });
    const result = await send(via(`http://sneaky.test:${privateStub.port}/`), {
      allowedSubnets: allowOnlyPublic,
      followRedirects: true,
      resolver: dns,
    });
    expect(result.error?.message).toContain("127.0.0.2 is a loopback address (sneaky.test resolves to it)");
  });

  it("a redirect to another scheme is refused", async () => {
    const result = await send(via("file:///etc/passwd"), { allowedSubnets: allowOnlyPublic, followRedirects: true });
    expect(result.error?.code).toBe("invalid_redirect");
  });

  it("stops after maxRedirects hops", async () => {
    const loop = via(via(via(via(`http://127.0.0.1:${local.port}/end`))));
    const result = await send(loop, { allowedSubnets: allowOnlyPublic, followRedirects: true, maxRedirects: 3 });
    expect(result.error?.code).toBe("too_many_redirects");
    expect(result.redirects).toHaveLength(4);
    const ok = await send(loop, { allowedSubnets: allowOnlyPublic, followRedirects: true, maxRedirects: 4 });
    expect(ok.response?.status).toBe(200);
    expect(ok.redirects).toHaveLength(4);
  });
});
