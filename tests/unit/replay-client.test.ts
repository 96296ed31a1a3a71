// The dashboard's browser replay: headers a page cannot set are left to the browser (and listed).
import { describe, expect, it } from "vitest";
import { browserSendable, CORS_EXPLANATION } from "@/components/inspector/replay-client";

describe("browser replay headers", () => {
  it("keeps what fetch() may send, in order, and lists the forbidden ones", () => {
    const { sendable, dropped } = browserSendable([
      ["Host", "hooks.example"],
      ["Content-Type", "application/json"],
      ["Content-Length", "12"],
      ["Stripe-Signature", "t=1,v1=a"],
      ["Cookie", "a=b"],
      ["Sec-Fetch-Mode", "cors"],
      ["Proxy-Authorization", "x"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
      ["Accept-Encoding", "gzip"],
    ]);
    expect(sendable).toEqual([
      ["Content-Type", "application/json"],
      ["Stripe-Signature", "t=1,v1=a"],
      ["X-Dup", "1"],
      ["x-dup", "2"],
    ]);
    expect(dropped).toEqual(["Host", "Content-Length", "Cookie", "Sec-Fetch-Mode", "Proxy-Authorization", "Accept-Encoding"]);
  });

  it("explains CORS and points at the relay", () => {
    expect(CORS_EXPLANATION).toMatch(/Access-Control-Allow-Origin/);
    expect(CORS_EXPLANATION).toMatch(/hookscope listen/);
  });
});
