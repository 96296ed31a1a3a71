import { describe, expect, it } from "vitest";
import { decideResponseHeader, servingOriginOf, servingOrigins, type ServingOrigin } from "@/lib/endpoints/response-header-policy";
import { responseRuleSchema, servedRuleHeaders } from "@/lib/endpoints/response-rule";

// One listener: captures share the dashboard's origin.
const single = servingOrigins({ publicUrl: "https://hooks.example", captureBaseUrl: "https://hooks.example" });
// CAPTURE_PORT with a capture host of its own.
const split = servingOrigins({ publicUrl: "https://app.example.com", captureBaseUrl: "https://in.example.net", CAPTURE_PORT: 4000 });
const shared = single.shared;
const own = split.own!;
type Class = "send" | "own-origin" | "never";

function classOf(name: string, value: string, at: ServingOrigin): Class {
  const v = decideResponseHeader(name, value, at);
  return v.send ? "send" : v.ownOriginAllows ? "own-origin" : "never";
}

describe("response header allow-list", () => {
  it.each<[string, string, Class, Class]>([
    // name, value, on the shared origin, on an own capture origin
    ["Content-Type", "text/html", "send", "send"],
    ["content-language", "de", "send", "send"],
    ["Content-Disposition", 'attachment; filename="a.txt"', "send", "send"],
    ["Cache-Control", "no-store", "send", "send"],
    ["Expires", "0", "send", "send"],
    ["ETag", '"1"', "send", "send"],
    ["Last-Modified", "Wed, 02 Dec 2026 00:00:00 GMT", "send", "send"],
    ["Vary", "Accept", "send", "send"],
    ["Retry-After", "5", "send", "send"],
    ["X-Custom", "1", "send", "send"],
    ["x-request-id", "abc", "send", "send"],
    ["X-Frame-Options", "DENY", "send", "send"],
    ["Access-Control-Allow-Origin", "*", "send", "send"],
    ["ACCESS-CONTROL-ALLOW-METHODS", "POST", "send", "send"],
    ["Access-Control-Allow-Headers", "x-a", "send", "send"],
    ["Access-Control-Expose-Headers", "x-a", "send", "send"],
    ["Access-Control-Max-Age", "60", "send", "send"],
    ["Access-Control-Allow-Credentials", "true", "own-origin", "send"],
    ["WWW-Authenticate", 'Bearer realm="api"', "send", "send"],
    ["WWW-Authenticate", 'Bearer realm="a", DPoP algs="ES256"', "send", "send"],
    ["WWW-Authenticate", 'Basic realm="Sign in to Hookscope"', "own-origin", "send"],
    ["www-authenticate", 'Bearer realm="a", Negotiate', "own-origin", "send"],
    ["Link", '<https://api.example/p2>; rel="next", <https://api.example/p9>; rel=last', "send", "send"],
    ["Link", "<https://evil.example/x.css>; rel=preload; as=style", "own-origin", "send"],
    ["Link", '<https://evil.example/x.css>; rel="next stylesheet"', "own-origin", "send"],
    ["Link", "<https://evil.example/>", "own-origin", "send"],
    ["Clear-Site-Data", '"cache"', "own-origin", "send"],
    ["Clear-Site-Data", '"cookies"', "never", "never"],
    ["clear-site-data", '"storage", "*"', "never", "never"],
    ["Strict-Transport-Security", "max-age=31536000", "own-origin", "send"],
    ["Content-Security-Policy", "default-src *", "own-origin", "send"],
    ["Permissions-Policy", "camera=()", "own-origin", "send"],
    ["Cross-Origin-Opener-Policy", "unsafe-none", "own-origin", "send"],
    ["Cross-Origin-Resource-Policy", "cross-origin", "own-origin", "send"],
    ["Refresh", "0; url=https://evil.example/", "own-origin", "send"],
    ["Accept-CH", "Sec-CH-UA-Model", "own-origin", "send"],
    ["Some-Unknown-Header", "1", "own-origin", "send"],
    // never, on any origin
    ["Content-Length", "5", "never", "never"],
    ["transfer-encoding", "chunked", "never", "never"],
    ["Connection", "close", "never", "never"],
    ["Keep-Alive", "timeout=5", "never", "never"],
    ["Upgrade", "websocket", "never", "never"],
    ["Trailer", "x", "never", "never"],
    ["TE", "trailers", "never", "never"],
    ["Set-Cookie", "a=b", "never", "never"],
    ["SET-COOKIE", "a=b; Domain=example.com", "never", "never"],
    ["NEL", '{"report_to":"x","max_age":1}', "never", "never"],
    ["Report-To", "{}", "never", "never"],
    ["Reporting-Endpoints", 'x="https://evil.example"', "never", "never"],
    ["Service-Worker-Allowed", "/", "never", "never"],
    ["Alt-Svc", 'h3=":443"', "never", "never"],
    ["X-Accel-Redirect", "/internal/secrets", "never", "never"],
    ["x-accel-buffering", "no", "never", "never"],
    ["X-Sendfile", "/etc/passwd", "never", "never"],
    ["X-Hookscope-Capture-Id", "cap_forged", "never", "never"],
    ["x-hookscope-masked", "0", "never", "never"],
  ])("%s: %s → shared %s, own origin %s", (name, value, onShared, onOwn) => {
    expect(classOf(name, value, shared)).toBe(onShared);
    expect(classOf(name, value, own)).toBe(onOwn);
  });

  it.each<[string, boolean]>([
    ["/elsewhere", true],
    ["next?page=2", true],
    ["?a=1", true],
    ["https://hooks.example/in/other", true],
    ["//hooks.example/x", true],
    ["HTTPS://HOOKS.EXAMPLE/x", true],
    ["https://evil.example/", false],
    ["//evil.example/", false],
    ["/\\evil.example/", false], // a backslash is a slash to browsers: //evil.example
    ["\\\\evil.example", false],
    ["/\t/evil.example", false], // tabs are removed by the URL parser
    ["http://hooks.example/x", false], // another scheme is another origin
    ["https://hooks.example:8443/", false],
    ["https://hooks.example.evil.example/", false],
    ["javascript:alert(1)", false],
    ["data:text/html,hi", false],
  ])("Location %j on the shared origin is sent: %s", (value, sent) => {
    expect(decideResponseHeader("Location", value, shared).send).toBe(sent);
    expect(decideResponseHeader("location", value, shared).send).toBe(sent);
    // A capture origin of its own may redirect anywhere.
    expect(decideResponseHeader("Location", value, own).send).toBe(true);
  });

  it("Location may point to either of Hookscope's origins when captures have another base but no listener of their own", () => {
    const proxied = servingOrigins({ publicUrl: "https://app.example", captureBaseUrl: "https://in.example" });
    expect(proxied.own).toBeNull();
    expect(decideResponseHeader("Location", "https://app.example/x", proxied.shared).send).toBe(true);
    expect(decideResponseHeader("Location", "https://in.example/x", proxied.shared).send).toBe(true);
    expect(decideResponseHeader("Location", "https://evil.example/x", proxied.shared).send).toBe(false);
  });

  it("HSTS needs a capture host that is neither the dashboard's host nor its parent", () => {
    const portOnly = servingOrigins({ publicUrl: "http://localhost:3000", captureBaseUrl: "http://localhost:4000", CAPTURE_PORT: 4000 });
    const parent = servingOrigins({ publicUrl: "https://app.example.com", captureBaseUrl: "https://example.com", CAPTURE_PORT: 4000 });
    const sibling = servingOrigins({ publicUrl: "https://app.example.com", captureBaseUrl: "https://in.example.com", CAPTURE_PORT: 4000 });
    expect(classOf("Strict-Transport-Security", "max-age=1", portOnly.own!)).toBe("never");
    expect(classOf("Strict-Transport-Security", "max-age=1", parent.own!)).toBe("never");
    expect(classOf("Strict-Transport-Security", "max-age=1; includeSubDomains", sibling.own!)).toBe("send");
    // The rest of the own-origin list still applies on a port of its own.
    expect(classOf("Content-Security-Policy", "default-src *", portOnly.own!)).toBe("send");
  });

  it("an own origin needs CAPTURE_PORT and a capture origin that is not the dashboard's", () => {
    expect(servingOrigins({ publicUrl: "https://a.example", captureBaseUrl: "https://a.example", CAPTURE_PORT: 4000 }).own).toBeNull();
    expect(servingOrigins({ publicUrl: "https://a.example", captureBaseUrl: "https://b.example" }).own).toBeNull();
    expect(servingOrigins({ publicUrl: "https://a.example", captureBaseUrl: "https://b.example", CAPTURE_PORT: 0 }).own).not.toBeNull();
  });

  it("a request is served as the own origin only on the capture listener and addressed to the capture host", () => {
    expect(servingOriginOf(split, "capture", "in.example.net")).toBe(split.own);
    expect(servingOriginOf(split, "capture", "IN.EXAMPLE.NET:4000")).toBe(split.own);
    expect(servingOriginOf(split, "dashboard", "in.example.net")).toBe(split.shared);
    expect(servingOriginOf(split, "capture", "app.example.com:4000")).toBe(split.shared);
    expect(servingOriginOf(split, "capture", undefined)).toBe(split.shared);
    expect(servingOriginOf(single, "capture", "hooks.example")).toBe(single.shared);
  });

  it("a stored rule keeps its allowed headers and drops the others when served", () => {
    const rule = {
      status: 302,
      headers: [
        ["X-A", "1"],
        ["Clear-Site-Data", '"cookies"'],
        ["Location", "https://evil.example/"],
        ["Cache-Control", "no-store"],
      ] as [string, string][],
      body: null,
      delayMs: 0,
    };
    expect(servedRuleHeaders(rule, shared)).toEqual([
      ["X-A", "1"],
      ["Cache-Control", "no-store"],
    ]);
    expect(servedRuleHeaders(rule, own)).toEqual([
      ["X-A", "1"],
      ["Location", "https://evil.example/"],
      ["Cache-Control", "no-store"],
    ]);
  });

  it("saving a refused header fails with a message naming it (default single-origin configuration)", () => {
    const r = responseRuleSchema.safeParse({
      status: 200,
      headers: [
        ["X-Ok", "1"],
        ["clear-site-data", '"cache"'],
      ],
      body: null,
      delayMs: 0,
    });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(["headers", 1, 0]);
    expect(issue.message).toMatch(/^clear-site-data .*origin of their own \(CAPTURE_PORT/);
    // One sentence per part: the settings form turns "; " into line breaks.
    expect(issue.message).not.toContain("; ");
  });
});
