// The replay workbench's pure helpers: what a browser can send, how refusals and CORS are worded,
// the capture path appended to a target, base64.
import { describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  combinedNames,
  corsAdvice,
  explainServerError,
  headersForBrowser,
  isLocalTarget,
  preflightHeaderNames,
  withCapturePath,
} from "@/components/replay/replay-helpers";

describe("headersForBrowser", () => {
  it("keeps what fetch() may set, in order, and says why the rest is left out", () => {
    const { sent, dropped } = headersForBrowser(
      [
        ["Host", "hooks.example"],
        ["Content-Type", "application/json"],
        ["Content-Length", "12"],
        ["Authorization", "Bearer x"],
        ["Stripe-Signature", "t=1,v1=a"],
        ["Cookie", "a=b"],
        ["Sec-Fetch-Mode", "cors"],
        ["User-Agent", "Stripe/1.0"],
        ["X-HTTP-Method-Override", "TRACE"],
        ["X-Dup", "1"],
        ["x-dup", "2"],
        ["X-Bad", "line\r\nbreak"],
        ["X-Snow", "\u2603"],
      ],
      false,
    );
    expect(sent).toEqual([
      ["Content-Type", "application/json"],
      ["Stripe-Signature", "t=1,v1=a"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
    ]);
    expect(dropped).toEqual([
      { name: "Host", reason: "forbidden" },
      { name: "Content-Length", reason: "forbidden" },
      { name: "Authorization", reason: "credentials" },
      { name: "Cookie", reason: "credentials" },
      { name: "Sec-Fetch-Mode", reason: "forbidden" },
      { name: "User-Agent", reason: "browser_owned" },
      { name: "X-HTTP-Method-Override", reason: "forbidden" },
      { name: "X-Bad", reason: "invalid" },
      { name: "X-Snow", reason: "invalid" },
    ]);
    expect(combinedNames(sent)).toEqual(["X-Dup"]);
  });

  it("leaves out every credential header the server's replay leaves out (X-Api-Key, *-Token…) unless credentials are on", () => {
    const headers: [string, string][] = [
      ["X-Api-Key", "k"],
      ["X-Gitlab-Token", "t"],
      ["X-Hub-Signature-256", "sha256=00"],
    ];
    expect(headersForBrowser(headers, false)).toEqual({
      sent: [["X-Hub-Signature-256", "sha256=00"]],
      dropped: [
        { name: "X-Api-Key", reason: "credentials" },
        { name: "X-Gitlab-Token", reason: "credentials" },
      ],
    });
    expect(headersForBrowser(headers, true).sent).toEqual(headers);
  });

  it("sends Authorization when credentials are on; Cookie stays the browser's", () => {
    const { sent, dropped } = headersForBrowser(
      [
        ["Authorization", "Bearer x"],
        ["Cookie", "a=b"],
      ],
      true,
    );
    expect(sent).toEqual([["Authorization", "Bearer x"]]);
    expect(dropped).toEqual([{ name: "Cookie", reason: "forbidden" }]);
  });
});

describe("wording", () => {
  it("explains a loopback refusal and points at the browser", () => {
    const e = explainServerError("target_forbidden", "127.0.0.1 is a loopback address.", "http://127.0.0.1:3000/hooks");
    expect(e.title).toBe("Refused: 127.0.0.1 is a loopback address.");
    expect(e.detail).toMatch(/Send from browser for localhost/);
    expect(e.detail).toMatch(/ALLOWED_FORWARD_SUBNETS/);
  });

  it("does not suggest the browser for a metadata address", () => {
    const e = explainServerError("target_forbidden", "169.254.169.254 is a cloud metadata address.", "http://169.254.169.254/");
    expect(e.detail).toMatch(/always refused/);
    expect(e.detail).not.toMatch(/browser/);
  });

  it("words the API's own codes for a role refusal and a too-large body (codes from the error table)", () => {
    const role = explainServerError("insufficient_role", "This needs the member role or higher in the workspace.", "https://example.com/");
    expect(role).toEqual({ title: "Your role cannot replay captures.", detail: "This needs the member role or higher in the workspace." });
    const big = explainServerError("body_too_large", "The request body is larger than 1048576 bytes.", "https://example.com/");
    expect(big.title).toBe("The edited request is too large to send.");
  });

  it("lists the headers a preflight must allow, not the safelisted ones", () => {
    expect(
      preflightHeaderNames([
        ["accept", "*/*"],
        ["content-type", "application/json"],
        ["X-Echo", "1"],
        ["x-echo", "2"],
      ]),
    ).toEqual(["content-type", "X-Echo"]);
    expect(preflightHeaderNames([["Content-Type", "text/plain; charset=utf-8"]])).toEqual([]);
    const advice = corsAdvice("http://localhost:3000/hooks", "https://hooks.example", "PUT", [["X-Echo", "1"]]);
    expect(advice.join("\n")).toMatch(/Access-Control-Allow-Origin: https:\/\/hooks\.example/);
    expect(advice.join("\n")).toMatch(/Access-Control-Allow-Methods: PUT and Access-Control-Allow-Headers: X-Echo/);
    expect(advice.join("\n")).toMatch(/Private-Network/);
    expect(corsAdvice("http://staging.example/hooks", "https://hooks.example", "POST", []).join("\n")).toMatch(/mixed content/);
  });

  it("knows local targets", () => {
    for (const u of ["http://localhost:3000/", "http://127.0.0.1/", "http://[::1]:8080/", "http://app.localhost/"])
      expect(isLocalTarget(u)).toBe(true);
    for (const u of ["https://staging.example/", "http://10.0.0.1/", "not a url"]) expect(isLocalTarget(u)).toBe(false);
  });
});

describe("withCapturePath", () => {
  it("appends the capture's sub-path and query as the server does", () => {
    expect(withCapturePath("http://localhost:3000/webhooks?a=1", { path: "/stripe", query: "b=2" })).toBe(
      "http://localhost:3000/webhooks/stripe?a=1&b=2",
    );
    expect(withCapturePath("http://localhost:3000/", { path: "/x", query: "" })).toBe("http://localhost:3000/x");
    expect(withCapturePath("http://localhost:3000", { path: "", query: "" })).toBe("http://localhost:3000/");
    expect(withCapturePath("localhost:3000", { path: "/x", query: "" })).toBe(null);
  });
});

describe("base64", () => {
  it("round-trips every byte value and large bodies", () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31 + 7) % 256);
    const b64 = bytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString("base64"));
    expect(base64ToBytes(b64)).toEqual(bytes);
  });
});
