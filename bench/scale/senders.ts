// Webhook senders of the corpus: Stripe, GitHub, Shopify and Slack with their real header sets.
import { createHash } from "node:crypto";
import type { SampleRequest } from "./corpus";
import { CURRENCIES, GITHUB_EVENTS, type Gen, REPOS, SHOPIFY_TOPICS, STRIPE_EVENTS, WORDS } from "./gen";

export function senders(g: Gen) {
  const { rand, int, pick, hex, uuid, user, words, size, common, json, now, base } = g;
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

  return { stripe, github, shopify, slack };
}
