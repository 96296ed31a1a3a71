// The corpus's building blocks: a seeded generator of ids, users, sizes, addresses and bodies
// (bench/scale/corpus.ts mixes the samples built from them).
import { randomBytes } from "node:crypto";
import type { HeaderPairs } from "../../lib/model/capture";
import type { SampleRequest } from "./corpus";

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

export const WORDS =
  "the invoice order customer payment shipped refund pending plan seat upgrade renewal webhook retry delivered branch merge release deploy build passed failed review comment label product variant inventory channel message thread reaction workspace".split(
    " ",
  );
export const REPOS = ["acme/api", "acme/web", "acme/infra", "globex/billing", "initech/tps", "umbrella/lab"];
export const STRIPE_EVENTS = [
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.created",
  "charge.succeeded",
  "customer.subscription.updated",
  "payment_intent.succeeded",
  "checkout.session.completed",
];
export const GITHUB_EVENTS = ["push", "push", "push", "pull_request", "issues", "workflow_run", "issue_comment", "ping"];
export const SHOPIFY_TOPICS = ["orders/create", "orders/paid", "products/update", "customers/create", "inventory_levels/update"];
export const CURRENCIES = ["usd", "usd", "usd", "eur", "gbp", "jpy"];
/** 2 MiB of random bytes, sliced for binary bodies and files (generating fresh ones per row costs more than the insert). */
export const RANDOM = randomBytes(2 * 1024 * 1024);
export const RANDOM_TEXT = RANDOM.toString("base64");

export type Gen = ReturnType<typeof gen>;

/** Seeded helpers shared by every sample maker; `n` sizes the user space. */
export function gen(n: number, seed: number) {
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

  return { rand, int, pick, hex, uuid, userSpace, user, words, filler, size, ip, common, json, now, base };
}
