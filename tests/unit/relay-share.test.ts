// The relay CLI with a share token: share routes instead of the endpoint API (no Authorization
// header), masked headers left out of deliveries, share URLs accepted as the endpoint argument.
import { describe, expect, it } from "vitest";
import type { CaptureDetail } from "@/lib/model/capture";
import { isShareToken, relayPaths, sendableSharedHeaders } from "@/lib/relay/access";
import { parseEndpointRef, resolveCaptureKey } from "@/lib/relay/endpoint-ref";

const SHARE = "hs_shr_abcdefghijklmnopqrstuvwxyz012345";

describe("relay through a share link", () => {
  it("tells share tokens from API tokens", () => {
    expect(isShareToken(SHARE)).toBe(true);
    expect(isShareToken("hs_tok_x")).toBe(false);
    expect(isShareToken(undefined)).toBe(false);
  });

  it("reads the share routes with a share token and the revealed API with an API token", () => {
    const shared = relayPaths("ep_1", SHARE);
    expect(shared).toMatchObject({ share: true, stream: `/api/share/${SHARE}/stream` });
    expect(shared.detail("cap_1")).toBe(`/api/share/${SHARE}/captures/cap_1`);
    expect(shared.body("cap_1")).toBe(`/api/share/${SHARE}/captures/cap_1/body`);
    const api = relayPaths("ep_1", "hs_tok_x");
    expect(api).toMatchObject({ share: false, stream: "/api/endpoints/ep_1/stream" });
    expect(api.detail("cap_1")).toBe("/api/captures/cap_1?reveal=1");
    expect(api.body("cap_1")).toBe("/api/captures/cap_1/body?reveal=1");
  });

  it("accepts a share URL as the endpoint and needs no endpoint lookup", async () => {
    const ref = parseEndpointRef(`https://hooks.example.com/s/${SHARE}`, undefined, {});
    expect(ref).toEqual({ server: "https://hooks.example.com", shareToken: SHARE });
    const noFetch = (() => {
      throw new Error("no request expected");
    }) as unknown as typeof fetch;
    expect(await resolveCaptureKey(ref, SHARE, noFetch)).toBe(SHARE);
  });

  it("leaves masked headers out (their values are placeholders) and Content-Encoding when the body came decoded", () => {
    const detail = {
      headers: [
        ["Host", "x"],
        ["Authorization", "Bearer ••••••"],
        ["Content-Encoding", "gzip"],
        ["X-Api-Key", "••••••"],
        ["X-Keep", "1"],
      ],
      masked: { headers: [{ index: 1 }, { index: 3 }] },
    } as unknown as CaptureDetail;
    expect(sendableSharedHeaders(detail, false)).toEqual({
      headers: [
        ["Host", "x"],
        ["Content-Encoding", "gzip"],
        ["X-Keep", "1"],
      ],
      dropped: 2,
    });
    expect(sendableSharedHeaders(detail, true).headers).toEqual([
      ["Host", "x"],
      ["X-Keep", "1"],
    ]);
  });
});
