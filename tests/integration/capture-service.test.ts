// One capture service for every road (lib/capture/service/): a share link gets the signature
// summaries a viewer gets (sender, event type, delivery id, status), detected on the masked form,
// in its root, its list, its detail and its live stream; a masked value never comes back through
// the share road as an event type or a delivery id.
import { createHmac } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, providers, startServer, type TestServer } from "../helpers/server";

const STRIPE_SECRET = "whsec_service_test_123456789";
const MASKED_DELIVERY = "gh-delivery-masked-7731";
const MASKED_TYPE = "invoice.masked_type_x";

function stripeWebhook(id: string): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ id, type: MASKED_TYPE, data: { object: { amount: 4200 } } });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", STRIPE_SECRET).update(`${t}.${body}`).digest("hex");
  return { headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` }, body };
}

function githubWebhook(): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ zen: "Keep it logically awesome." });
  const sig = createHmac("sha256", "gh-unsaved").update(body).digest("hex");
  return {
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": MASKED_DELIVERY,
      "x-hub-signature-256": `sha256=${sig}`,
    },
    body,
  };
}

/** The first capture event of a share's SSE stream, after `trigger` runs once the stream is ready. */
async function firstLiveEvent(url: string, trigger: () => Promise<unknown>): Promise<{ raw: string; event: Record<string, unknown> }> {
  let buf = "";
  let ready: () => void = () => {};
  const isReady = new Promise<void>((r) => (ready = r));
  const req = http.get(url, { headers: { accept: "text/event-stream" } }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (d: string) => {
      buf += d;
      if (buf.includes("event: ready")) ready();
    });
  });
  try {
    await isReady;
    await trigger();
    const frame = /event: capture\ndata: (.*)\n\n/;
    for (let i = 0; i < 100 && !frame.test(buf); i++) await new Promise((r) => setTimeout(r, 100));
    const m = frame.exec(buf);
    if (!m) throw new Error(`no capture event: ${buf}`);
    return { raw: m[1]!, event: JSON.parse(m[1]!) as Record<string, unknown> };
  } finally {
    req.destroy();
  }
}

describe.each(await providers())("capture service: the share road (%s)", (provider) => {
  let server: TestServer;
  let member: Api;
  let visitor: Api;
  let ep: { id: string; token: string };
  let stripeId: string;
  let githubId: string;

  const send = async (hook: { headers: Record<string, string>; body: string }) => {
    const res = await fetch(`${server.url}/in/${ep.token}`, { method: "POST", headers: hook.headers, body: hook.body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { captureId: string }).captureId;
  };
  const shareToken = async (input: Record<string, unknown> = {}) =>
    (await member.json("POST", `/api/endpoints/${ep.id}/share-links`, { expiresInSeconds: 600, ...input })).body.url.split(
      "/s/",
    )[1] as string;

  beforeAll(async () => {
    server = await startServer({ provider });
    member = new Api(server.url);
    visitor = new Api(server.url);
    await member.signUp(`svc-${provider}@example.test`);
    // The event type sits in the body's `type` (masked); GitHub's delivery id in a masked header.
    ep = await member.createEndpoint({
      name: "service",
      redactionRules: [
        { kind: "json_path", path: "$.type" },
        { kind: "header", name: "X-GitHub-Delivery" },
      ],
    });
    expect(
      (await member.json("POST", `/api/endpoints/${ep.id}/signature-secrets`, { provider: "stripe", secret: STRIPE_SECRET })).status,
    ).toBe(201);
    stripeId = await send(stripeWebhook("evt_service_1"));
    githubId = await send(githubWebhook());
  }, 60_000);
  afterAll(() => server?.stop());

  const stripeSeen = { provider: "stripe", providerName: "Stripe", eventType: null, deliveryId: "evt_service_1", status: "valid" };
  const githubSeen = { provider: "github", eventType: "push", deliveryId: null };

  it("an endpoint link's root, list and detail carry the signature summaries a viewer sees, computed on the masked form", async () => {
    const token = await shareToken();
    const root = await visitor.json("GET", `/api/share/${token}`);
    expect(root.status).toBe(200);
    const byId = (rows: { id: string; signature?: unknown }[], id: string) => rows.find((r) => r.id === id)?.signature;
    expect(byId(root.body.captures, stripeId)).toEqual(stripeSeen);
    expect(byId(root.body.captures, githubId)).toMatchObject(githubSeen);

    const page = await visitor.json("GET", `/api/share/${token}/captures?limit=10`);
    expect(page.status).toBe(200);
    // The same summaries the dashboard's masked list shows (a member's rows are masked too).
    const dashboard = (await member.captures(ep.id, "?limit=10")).captures;
    for (const id of [stripeId, githubId]) expect(byId(page.body.captures, id)).toEqual(byId(dashboard, id));

    const detail = await visitor.json("GET", `/api/share/${token}/captures/${stripeId}`);
    expect(detail.body).toMatchObject({ revealed: false, canReveal: false, signature: stripeSeen });
    const ghDetail = await visitor.json("GET", `/api/share/${token}/captures/${githubId}`);
    expect(ghDetail.body.signature).toMatchObject(githubSeen);

    // Neither masked value appears anywhere through the share road, as an event type, an id or otherwise.
    for (const answer of [root.body, page.body, detail.body, ghDetail.body]) {
      expect(JSON.stringify(answer)).not.toContain(MASKED_TYPE);
      expect(JSON.stringify(answer)).not.toContain(MASKED_DELIVERY);
    }
    // The member who reveals sees them (the decision grants it; the share road never does).
    expect((await member.json("GET", `/api/captures/${stripeId}?reveal=1`)).body.signature).toMatchObject({ eventType: MASKED_TYPE });
    expect(JSON.stringify((await visitor.json("GET", `/api/share/${token}/captures/${stripeId}?reveal=1`)).body)).not.toContain(
      MASKED_TYPE,
    );
  });

  it("a capture link's root and one-row list carry its summary; other captures stay 404", async () => {
    const token = await shareToken({ captureId: stripeId });
    const root = await visitor.json("GET", `/api/share/${token}`);
    expect(root.body).toMatchObject({ kind: "capture", capture: { id: stripeId, signature: stripeSeen } });
    const page = await visitor.json("GET", `/api/share/${token}/captures`);
    expect(page.body.captures.map((c: { id: string }) => c.id)).toEqual([stripeId]);
    expect(page.body.captures[0].signature).toEqual(stripeSeen);
    expect((await visitor.request("GET", `/api/share/${token}/captures/${githubId}`)).status).toBe(404);
    expect((await visitor.request("GET", `/api/share/${token}/captures/${githubId}/body`)).status).toBe(404);
  });

  it("the share stream's live events carry the sender and status, detected on the masked form", async () => {
    const token = await shareToken();
    const stripeLive = await firstLiveEvent(`${server.url}/api/share/${token}/stream`, () => send(stripeWebhook("evt_service_live")));
    expect(stripeLive.event.signature).toEqual({ ...stripeSeen, deliveryId: "evt_service_live" });
    expect(stripeLive.raw).not.toContain(MASKED_TYPE);
    const githubLive = await firstLiveEvent(`${server.url}/api/share/${token}/stream`, () => send(githubWebhook()));
    expect(githubLive.event.signature).toMatchObject({ ...githubSeen, status: "unknown" });
    expect(githubLive.raw).not.toContain(MASKED_DELIVERY);
  });
});
