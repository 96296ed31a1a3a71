// The scale benchmark's corpus: realistic webhook requests, generated deterministically from a
// seed. Stripe, GitHub, Shopify and Slack samples with their real header sets (signatures, user
// agents, delivery ids, event types), urlencoded forms, multipart uploads with files, XML, binary
// and gzip-encoded bodies; mostly ~1 KB, some 10-100 KB, a few >= 1 MB; varied methods, paths and
// addresses. The same requests feed the bulk loader (bench/scale/loader.ts) and the sample sent
// through the real capture door (bench/scale/door.ts).
import { createHash, randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { HeaderPairs } from "../../lib/model/capture";

export interface SampleRequest {
  kind: string;
  method: string;
  /** After the token, percent-encoded ("" or "/a/b"). */
  path: string;
  /** Without "?". */
  query: string;
  /** Wire order and case; Content-Length included (the loader stores it, the door recomputes it). */
  headers: HeaderPairs;
  body: Buffer;
  remoteAddr: string;
  /** Stored as a refused oversized request by the loader (empty body, the declared size, 413); never sent. */
  rejected: string | null;
  responseStatus: number;
}

/** mulberry32: small, fast and deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "the invoice order customer payment shipped refund pending plan seat upgrade renewal webhook retry delivered branch merge release deploy build passed failed review comment label product variant inventory channel message thread reaction workspace".split(
    " ",
  );
const REPOS = ["acme/api", "acme/web", "acme/infra", "globex/billing", "initech/tps", "umbrella/lab"];
const STRIPE_EVENTS = [
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.created",
  "charge.succeeded",
  "customer.subscription.updated",
  "payment_intent.succeeded",
  "checkout.session.completed",
];
const GITHUB_EVENTS = ["push", "push", "push", "pull_request", "issues", "workflow_run", "issue_comment", "ping"];
const SHOPIFY_TOPICS = ["orders/create", "orders/paid", "products/update", "customers/create", "inventory_levels/update"];
const CURRENCIES = ["usd", "usd", "usd", "eur", "gbp", "jpy"];
/** 2 MiB of random bytes, sliced for binary bodies and files (generating fresh ones per row costs more than the insert). */
const RANDOM = randomBytes(2 * 1024 * 1024);
const RANDOM_TEXT = RANDOM.toString("base64");

export interface Corpus {
  /** The i-th request (deterministic in the seed and i). */
  next(): SampleRequest;
  /** How many distinct "userNNN" values bodies carry: q=user4242 matches about N / userSpace rows. */
  userSpace: number;
}

export function corpus(n: number, seed = 16): Corpus {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hex = (bytes: number) => {
    const at = int(0, RANDOM.length - bytes);
    return RANDOM.subarray(at, at + bytes).toString("hex");
  };
  const uuid = () => {
    const h = hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const userSpace = Math.max(5000, Math.round(n / 20));
  const user = () => `user${int(0, userSpace - 1)}`;
  const words = (bytes: number) => {
    let s = "";
    while (s.length < bytes) s += `${pick(WORDS)} `;
    return s.slice(0, bytes);
  };
  const filler = (bytes: number) => {
    const at = int(0, RANDOM_TEXT.length - bytes - 1);
    return RANDOM_TEXT.slice(at, at + bytes);
  };
  /** Body size class: ~1 KB mostly, 2 % 10-100 KB, 1 in 5,000 >= 1 MB. */
  const size = () => {
    const r = rand();
    if (r < 0.0002) return int(1024 * 1024, 1536 * 1024);
    if (r < 0.02) return int(10 * 1024, 100 * 1024);
    return int(600, 1500);
  };
  const ip = () => {
    const r = rand();
    if (r < 0.05) return `203.0.113.${int(1, 254)}`;
    if (r < 0.4) return `198.51.100.${int(1, 254)}`;
    if (r < 0.6) return `2001:db8::${int(1, 0xffff).toString(16)}`;
    if (r < 0.8) return `192.0.2.${int(1, 254)}`;
    return `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  };
  const common = (contentType: string, body: Buffer, extra: HeaderPairs): HeaderPairs => [
    ["Host", "hooks.example.com"],
    ...extra,
    ["Content-Type", contentType],
    ["Content-Length", String(body.length)],
  ];
  const json = (doc: unknown, target: number) => {
    const text = JSON.stringify(doc);
    const pad = target - text.length - 20;
    return Buffer.from(pad > 0 ? `${text.slice(0, -1)},"note":${JSON.stringify(words(pad))}}` : text);
  };
  const now = Math.floor(Date.now() / 1000);
  const base = (kind: string, method: string, path: string, headers: HeaderPairs, body: Buffer, query = ""): SampleRequest => ({
    kind,
    method,
    path,
    query,
    headers,
    body,
    remoteAddr: ip(),
    rejected: null,
    responseStatus: rand() < 0.01 ? pick([500, 502, 503]) : 200,
  });

  const stripe = (): SampleRequest => {
    const type = pick(STRIPE_EVENTS);
    const amount = int(0, 20) === 0 ? int(100_000, 5_000_000) : int(100, 9_999);
    const t = now - int(0, 30 * 86400);
    const doc = {
      id: `evt_${hex(12)}`,
      object: "event",
      api_version: "2024-06-20",
      created: t,
      data: {
        object: {
          id: `in_${hex(12)}`,
          object: type.split(".")[0],
          amount,
          amount_due: amount,
          currency: pick(CURRENCIES),
          customer: `cus_${hex(7)}`,
          customer_email: `${user()}@example.com`,
          paid: type.endsWith("paid") || type.endsWith("succeeded"),
        },
      },
      livemode: rand() < 0.7,
      pending_webhooks: 1,
      request: { id: `req_${hex(7)}`, idempotency_key: uuid() },
      type,
    };
    const body = json(doc, size());
    return base(
      "stripe",
      "POST",
      pick(["/hooks/stripe", "/stripe", ""]),
      common("application/json; charset=utf-8", body, [
        ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
        ["Accept", "*/*; q=0.5, application/xml"],
        ["Cache-Control", "no-cache"],
        ["Stripe-Signature", `t=${t},v1=${hex(32)},v0=${hex(32)}`],
      ]),
      body,
    );
  };

  const github = (): SampleRequest => {
    const event = pick(GITHUB_EVENTS);
    const repo = pick(REPOS);
    const target = size();
    const doc: Record<string, unknown> = {
      ref: `refs/heads/${pick(["main", "main", "develop", `feature/${pick(WORDS)}`])}`,
      before: hex(20),
      after: hex(20),
      action: event === "pull_request" ? pick(["opened", "closed", "synchronize"]) : undefined,
      repository: { id: int(1000, 999_999), full_name: repo, private: rand() < 0.5, default_branch: "main" },
      sender: { login: user(), type: "User" },
      commits: Array.from({ length: Math.min(200, Math.max(1, Math.floor(target / 900))) }, () => ({
        id: hex(20),
        message: `${pick(WORDS)} ${pick(WORDS)}`,
        author: { name: user() },
      })),
    };
    const form = rand() < 0.1;
    const text = json(doc, target);
    const body = form ? Buffer.from(`payload=${encodeURIComponent(text.toString())}`) : text;
    return base(
      "github",
      "POST",
      pick(["/hooks/github", "/github", ""]),
      common(form ? "application/x-www-form-urlencoded" : "application/json", body, [
        ["Accept", "*/*"],
        ["User-Agent", `GitHub-Hookshot/${hex(4).slice(0, 7)}`],
        ["X-GitHub-Delivery", uuid()],
        ["X-GitHub-Event", event],
        ["X-GitHub-Hook-ID", String(int(10_000_000, 99_999_999))],
        ["X-GitHub-Hook-Installation-Target-ID", String(int(1000, 999_999))],
        ["X-GitHub-Hook-Installation-Target-Type", "repository"],
        ["X-Hub-Signature", `sha1=${hex(20)}`],
        ["X-Hub-Signature-256", `sha256=${hex(32)}`],
      ]),
      body,
    );
  };

  const shopify = (): SampleRequest => {
    const topic = pick(SHOPIFY_TOPICS);
    const doc = {
      id: int(1e9, 9e9),
      email: `${user()}@example.com`,
      total_price: (int(100, 99_999) / 100).toFixed(2),
      currency: pick(CURRENCIES).toUpperCase(),
      line_items: Array.from({ length: int(1, 5) }, () => ({
        id: int(1e9, 9e9),
        title: `${pick(WORDS)} ${pick(WORDS)}`,
        quantity: int(1, 4),
      })),
    };
    const body = json(doc, size());
    return base(
      "shopify",
      "POST",
      pick(["/hooks/shopify/orders", "/shopify", ""]),
      common("application/json", body, [
        ["Accept-Encoding", "gzip;q=1.0,deflate;q=0.6,identity;q=0.3"],
        ["Accept", "*/*"],
        ["User-Agent", "Shopify-Captain-Hook"],
        ["X-Shopify-Topic", topic],
        ["X-Shopify-Hmac-Sha256", createHash("sha256").update(hex(8)).digest("base64")],
        ["X-Shopify-Shop-Domain", `${pick(["acme", "globex", "initech"])}-store.myshopify.com`],
        ["X-Shopify-Api-Version", "2024-07"],
        ["X-Shopify-Webhook-Id", uuid()],
        ["X-Shopify-Event-Id", uuid()],
        ["X-Shopify-Triggered-At", new Date((now - int(0, 86400)) * 1000).toISOString()],
      ]),
      body,
    );
  };

  const slack = (): SampleRequest => {
    const ts = now - int(0, 300);
    const command = rand() < 0.6;
    const body = command
      ? Buffer.from(
          new URLSearchParams({
            token: hex(12),
            team_id: `T${hex(4).toUpperCase()}`,
            team_domain: "acme",
            channel_id: `C${hex(4).toUpperCase()}`,
            channel_name: pick(["general", "deploys", "alerts"]),
            user_id: `U${hex(4).toUpperCase()}`,
            user_name: user(),
            command: pick(["/deploy", "/oncall", "/status"]),
            text: words(int(10, 200)),
            response_url: `https://hooks.slack.com/commands/T0/${hex(8)}`,
            trigger_id: `${int(1e9, 9e9)}.${hex(8)}`,
          }).toString(),
        )
      : json(
          {
            token: hex(12),
            team_id: "T0ACME",
            type: "event_callback",
            event_id: `Ev${hex(5).toUpperCase()}`,
            event_time: ts,
            event: {
              type: pick(["message", "reaction_added", "app_mention"]),
              user: user(),
              text: words(int(20, 300)),
              channel: `C${hex(4).toUpperCase()}`,
            },
          },
          size(),
        );
    return base(
      "slack",
      "POST",
      pick(["/slack/commands", "/slack/events", ""]),
      common(command ? "application/x-www-form-urlencoded" : "application/json", body, [
        ["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"],
        ["Accept-Encoding", "gzip,deflate"],
        ["Accept", "application/json,*/*"],
        ["X-Slack-Signature", `v0=${hex(32)}`],
        ["X-Slack-Request-Timestamp", String(ts)],
      ]),
      body,
    );
  };

  const multipart = (): SampleRequest => {
    const boundary = `----WebKitFormBoundary${hex(8)}`;
    const file = RANDOM.subarray(0, Math.max(2048, size()));
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="user"\r\n\r\n${user()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${pick(WORDS)}.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return base(
      "multipart",
      pick(["POST", "POST", "PUT"]),
      "/upload",
      common(`multipart/form-data; boundary=${boundary}`, body, [
        ["User-Agent", "curl/8.5.0"],
        ["Accept", "*/*"],
      ]),
      body,
    );
  };

  const xml = (): SampleRequest => {
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<notification><id>${hex(8)}</id><user>${user()}</user><status>${pick(["ok", "failed", "timeout"])}</status><message>${words(size() - 160)}</message></notification>\n`,
    );
    return base(
      "xml",
      "POST",
      pick(["/soap/notify", "/xml"]),
      common(pick(["application/xml", "text/xml; charset=utf-8"]), body, [
        ["User-Agent", "Apache-HttpClient/4.5.14 (Java/17.0.9)"],
        ["SOAPAction", '"urn:notify"'],
      ]),
      body,
    );
  };

  const binary = (): SampleRequest => {
    const at = int(0, RANDOM.length - 2 * 1024 * 1024 + 1);
    const body = RANDOM.subarray(at, at + Math.min(size(), 2 * 1024 * 1024 - 1));
    return base(
      "binary",
      "POST",
      "/ingest/blob",
      common("application/octet-stream", body, [
        ["User-Agent", "Go-http-client/1.1"],
        ["X-Request-Id", uuid()],
      ]),
      body,
    );
  };

  const gzip = (): SampleRequest => {
    const text = JSON.stringify({
      id: uuid(),
      user: user(),
      level: pick(["info", "warn", "error"]),
      message: rand() < 0.2 ? "upstream timeout after 30s" : words(int(50, 400)),
      blob: filler(int(200, 1200)),
    });
    const body = gzipSync(text);
    return base(
      "gzip",
      "POST",
      "/api/v1/events",
      common("application/json", body, [
        ["User-Agent", "Vector/0.39.0"],
        ["Content-Encoding", "gzip"],
        ["Authorization", `Bearer ${hex(16)}`],
      ]),
      body,
    );
  };

  const generic = (): SampleRequest => {
    const method = pick(["GET", "GET", "POST", "PUT", "PATCH", "DELETE"]);
    const query = new URLSearchParams({
      user: user(),
      id: String(int(1, 1e6)),
      ...(rand() < 0.5 && { status: pick(["ok", "error", "timeout"]) }),
    }).toString();
    const body =
      method === "GET" || method === "DELETE" ? Buffer.alloc(0) : json({ user: user(), amount: int(1, 5000), ok: rand() < 0.9 }, size());
    const headers: HeaderPairs = [
      ["Host", "hooks.example.com"],
      ["User-Agent", pick(["curl/8.5.0", "python-requests/2.32.3", "axios/1.7.2", "PostmanRuntime/7.39.0"])],
      ["Accept", "*/*"],
    ];
    if (rand() < 0.5) headers.push(["Authorization", `Bearer ${hex(16)}`]);
    if (body.length) headers.push(["Content-Type", "application/json"], ["Content-Length", String(body.length)]);
    return base("generic", method, pick(["/hooks/ping", "/api/v1/events", "/callback", ""]), headers, body, query);
  };

  const kinds: [number, () => SampleRequest][] = [
    [0.25, stripe],
    [0.22, github],
    [0.15, shopify],
    [0.1, slack],
    [0.03, multipart],
    [0.04, xml],
    [0.03, binary],
    [0.06, gzip],
    [0.12, generic],
  ];
  return {
    userSpace,
    next() {
      let r = rand();
      let make = generic;
      for (const [share, fn] of kinds) {
        if (r < share) {
          make = fn;
          break;
        }
        r -= share;
      }
      const req = make();
      // A few refused oversized uploads: the loader stores them as the door does (no body, its size, 413).
      if (rand() < 0.001) return { ...req, rejected: "body_too_large", responseStatus: 413 };
      return req;
    },
  };
}
